package dev.ferry.apps.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.apps.arp.ArpResponder;
import dev.ferry.apps.gateway.GatewayMac;
import dev.ferry.apps.model.AddressPair;
import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.packet.ArpPacket;
import dev.ferry.apps.testing.SeedScenario;
import dev.ferry.apps.trace.Conntrack;
import dev.ferry.apps.trace.Packet;
import dev.ferry.apps.trace.PacketTracer;
import dev.ferry.apps.trace.TraceResult;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * Allowed address pairs traced through compiled flows, no switch: A1 (host1, port 2) and A2
 * (host2) share the VIP 172.17.42.50 (keepalived-style); A1 also has 172.17.42.60 with a MAC of
 * its own; A3 (host1, port 4) has no pair. All in tenant A's default group, whose ingress rule
 * admits the group's members, so a member's pair addresses must count as members too.
 */
class AllowedAddressPairFlowsTest {
  static final String VIP = "172.17.42.50";
  static final String OWN_MAC_VIP = "172.17.42.60";
  static final String PAIR_MAC = "02:00:00:00:aa:01";
  static final String BROADCAST = "ff:ff:ff:ff:ff:ff";
  static final Port A1 = withPairs(SeedScenario.A1, new AddressPair(VIP, null), new AddressPair(OWN_MAC_VIP, PAIR_MAC));
  static final Port A2 = withPairs(SeedScenario.A2, new AddressPair(VIP, null));
  static final Port A3 = SeedScenario.A3;
  static final Bindings BINDINGS = new Bindings(Map.of(
      "host1", Map.of("vxlan0", 1, "veth-a1", 2, "veth-b1", 3, "veth-a3", 4),
      "host2", Map.of("vxlan0", 1, "veth-a2", 2, "veth-b2", 3, "veth-a4", 4)));
  static final Model MODEL = model(A1, A2);

  static Port withPairs(Port p, AddressPair... pairs) {
    return new Port(p.id(), p.networkId(), p.name(), p.mac(), p.ip(), p.host(), p.interfaceName(),
        p.portSecurity(), p.securityGroups(), List.of(pairs), p.revision());
  }

  static Model model(Port a1, Port a2) {
    return Model.of(SeedScenario.MODEL.tenants().values(),
        List.of(SeedScenario.NET_A, SeedScenario.NET_B, SeedScenario.NET_A2),
        List.of(a1, a2, A3, SeedScenario.B1, SeedScenario.B2, SeedScenario.A4),
        List.of(SeedScenario.HOST1, SeedScenario.HOST2), List.of()).withDefaultGroups();
  }

  static TraceResult trace(Model m, String host, Packet p) {
    return new PacketTracer(HostCompiler.compile(m, BINDINGS, host), new Conntrack()).trace(p);
  }

  static Set<Integer> outPorts(TraceResult t) {
    return t.outputs().stream().map(TraceResult.Output::ofPort).collect(Collectors.toSet());
  }

  static Packet ping(Port from, int inPort, String srcMac, String srcIp, String dstMac, String dstIp) {
    return Packet.at(inPort).eth(srcMac, dstMac).ipv4(srcIp, dstIp).icmp(8, 0);
  }

  static Packet arpRequest(int inPort, String sha, String spa, String tpa) {
    return Packet.at(inPort).eth(sha, BROADCAST).arp(1, sha, spa, tpa);
  }

  @Test
  void aPortSendsFromItsPairsAndIsAMemberByThem() {
    // A3's default group admits default members: A1 sending from the VIP is one
    TraceResult t = trace(MODEL, "host1", ping(A1, 2, A1.mac(), VIP, A3.mac(), A3.ip()));
    assertEquals(Set.of(4), outPorts(t), String.join("\n", t.steps()));
    TraceResult own = trace(MODEL, "host1", ping(A1, 2, PAIR_MAC, OWN_MAC_VIP, A3.mac(), A3.ip()));
    assertEquals(Set.of(4), outPorts(own), String.join("\n", own.steps()));
  }

  @Test
  void aPortWithoutThePairCannotSendFromIt() {
    assertTrue(trace(MODEL, "host1", ping(A3, 4, A3.mac(), VIP, A1.mac(), A1.ip())).outputs().isEmpty());
    assertTrue(trace(MODEL, "host1", arpRequest(4, A3.mac(), VIP, VIP)).outputs().isEmpty(),
        "A3's gratuitous ARP for the VIP is spoofing");
    // nor from a pair's address with its own MAC, nor A1 from the VIP with another port's MAC
    assertTrue(trace(MODEL, "host1", ping(A1, 2, A3.mac(), VIP, A3.mac(), A3.ip())).outputs().isEmpty());
    assertTrue(trace(MODEL, "host1", ping(A1, 2, A1.mac(), OWN_MAC_VIP, A3.mac(), A3.ip())).outputs().isEmpty(),
        "172.17.42.60 is A1's only with its pair MAC");
  }

  @Test
  void arpForAPairAddressIsFloodedNotAnswered() {
    TraceResult t = trace(MODEL, "host1", arpRequest(4, A3.mac(), A3.ip(), VIP));
    assertEquals(Set.of(1, 2), outPorts(t), "to A1 and through the tunnel to A2's host, not back to A3\n"
        + String.join("\n", t.steps()));
    assertTrue(t.outputs().stream().allMatch(o -> o.packet().get(org.projectfloodlight.openflow.protocol.match.MatchField.ARP_OP).getOpcode() == 1),
        "the request itself, no reply made by the switch");
    // from the tunnel, A2's host floods it to its local ports only (A2 answers if it holds the VIP)
    TraceResult remote = trace(MODEL, "host2", arpRequest(1, A3.mac(), A3.ip(), VIP).tunnel(100));
    assertEquals(Set.of(2), outPorts(remote), String.join("\n", remote.steps()));
    // an ordinary port's address is still answered by the switch, out of the asking port
    TraceResult own = trace(MODEL, "host1", arpRequest(4, A3.mac(), A3.ip(), A1.ip()));
    assertEquals(Set.of(4), outPorts(own));
  }

  @Test
  void theHoldersGratuitousArpReachesTheNetworkAndItsReplyTheAsker() {
    TraceResult garp = trace(MODEL, "host1", arpRequest(2, A1.mac(), VIP, VIP));
    assertEquals(Set.of(1, 4), outPorts(garp), String.join("\n", garp.steps()));
    // arping -A: a broadcast reply
    TraceResult unsolicited = trace(MODEL, "host1", Packet.at(2).eth(A1.mac(), BROADCAST).arp(2, A1.mac(), VIP, VIP));
    assertEquals(Set.of(1, 4), outPorts(unsolicited));
    TraceResult reply = trace(MODEL, "host1", Packet.at(2).eth(A1.mac(), A3.mac()).arp(2, A1.mac(), VIP, A3.ip()));
    assertEquals(Set.of(4), outPorts(reply));
  }

  @Test
  void trafficToTheVipFollowsTheMacTheClientLearned() {
    TraceResult toA1 = trace(MODEL, "host1", ping(A3, 4, A3.mac(), A3.ip(), A1.mac(), VIP));
    assertEquals(Set.of(2), outPorts(toA1), String.join("\n", toA1.steps()));
    TraceResult toA2 = trace(MODEL, "host1", ping(A3, 4, A3.mac(), A3.ip(), A2.mac(), VIP));
    assertEquals(Set.of(1), outPorts(toA2));
    assertEquals(SeedScenario.HOST2.tunnelIp(), toA2.outputs().get(0).packet().tunnelDst());
    // a pair's own MAC is forwarded to its port, through the port's security groups
    TraceResult toPairMac = trace(MODEL, "host1", ping(A3, 4, A3.mac(), A3.ip(), PAIR_MAC, OWN_MAC_VIP));
    assertEquals(Set.of(2), outPorts(toPairMac), String.join("\n", toPairMac.steps()));
    TraceResult fromHost2 = trace(MODEL, "host2", ping(A2, 2, A2.mac(), A2.ip(), PAIR_MAC, OWN_MAC_VIP));
    assertEquals(Set.of(1), outPorts(fromHost2));
    assertEquals(SeedScenario.HOST1.tunnelIp(), fromHost2.outputs().get(0).packet().tunnelDst());
  }

  @Test
  void theRouterReachesAPairAddressOnlyWhereItHasOnePlace() {
    MacAddress gw = GatewayMac.of(SeedScenario.NET_A2);
    Port a4 = SeedScenario.A4;
    // 172.17.42.60 is A1's alone: routed to its pair MAC, over the tunnel to host1
    TraceResult sole = trace(MODEL, "host2", ping(a4, 4, a4.mac(), a4.ip(), gw.toString(), OWN_MAC_VIP));
    assertEquals(Set.of(1), outPorts(sole), String.join("\n", sole.steps()));
    assertEquals(MacAddress.of(PAIR_MAC), sole.outputs().get(0).packet().get(
        org.projectfloodlight.openflow.protocol.match.MatchField.ETH_DST));
    // the shared VIP has no fixed place: the router drops it rather than guess
    assertTrue(trace(MODEL, "host2", ping(a4, 4, a4.mac(), a4.ip(), gw.toString(), VIP)).outputs().isEmpty());
    // with the VIP on one port only, it is routed to that port's MAC
    Model one = model(A1, SeedScenario.A2);
    TraceResult single = trace(one, "host2", ping(a4, 4, a4.mac(), a4.ip(), gw.toString(), VIP));
    assertEquals(Set.of(1), outPorts(single));
    assertEquals(MacAddress.of(A1.mac()), single.outputs().get(0).packet().get(
        org.projectfloodlight.openflow.protocol.match.MatchField.ETH_DST));
  }

  @Test
  void aPrefixPairCoversEveryAddressInIt() {
    Model m = model(withPairs(SeedScenario.A1, new AddressPair("172.17.42.64/28", null)), SeedScenario.A2);
    assertEquals(Set.of(4), outPorts(trace(m, "host1", ping(A1, 2, A1.mac(), "172.17.42.77", A3.mac(), A3.ip()))));
    assertTrue(trace(m, "host1", ping(A1, 2, A1.mac(), "172.17.42.80", A3.mac(), A3.ip())).outputs().isEmpty());
    assertEquals(Set.of(1, 2), outPorts(trace(m, "host1", arpRequest(4, A3.mac(), A3.ip(), "172.17.42.70"))));
  }

  @Test
  void theControllersArpResponderLeavesPairAddressesToTheirHolder() {
    byte[] ask = new ArpPacket(MacAddress.of(A3.mac()), MacAddress.BROADCAST, ArpPacket.REQUEST, MacAddress.of(A3.mac()), IPv4Address.of(A3.ip()),
        MacAddress.NONE, IPv4Address.of(VIP)).toFrame();
    assertFalse(ArpResponder.answer(MODEL, SeedScenario.NET_A, ask).isPresent());
    byte[] askA1 = new ArpPacket(MacAddress.of(A3.mac()), MacAddress.BROADCAST, ArpPacket.REQUEST, MacAddress.of(A3.mac()), IPv4Address.of(A3.ip()),
        MacAddress.NONE, IPv4Address.of(A1.ip())).toFrame();
    assertTrue(ArpResponder.answer(MODEL, SeedScenario.NET_A, askA1).isPresent());
  }

  @Test
  void withoutPairsNothingChanges() {
    Model plain = model(SeedScenario.A1, SeedScenario.A2);
    Port a1 = SeedScenario.A1;
    assertEquals(List.of(a1.ip()), a1.addresses());
    assertEquals(List.of(a1.mac()), a1.macs());
    assertTrue(trace(plain, "host1", ping(a1, 2, a1.mac(), VIP, A3.mac(), A3.ip())).outputs().isEmpty());
    assertTrue(trace(plain, "host1", arpRequest(4, A3.mac(), A3.ip(), VIP)).outputs().isEmpty(), "unknown: dropped");
  }
}
