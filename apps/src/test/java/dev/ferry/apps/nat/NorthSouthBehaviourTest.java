package dev.ferry.apps.nat;

import static dev.ferry.apps.testing.SeedScenario.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.apps.compile.HostCompiler;
import dev.ferry.apps.gateway.GatewayMac;
import dev.ferry.apps.packet.ArpPacket;
import dev.ferry.apps.trace.Packet;
import dev.ferry.apps.trace.PacketTracer;
import dev.ferry.apps.trace.TraceResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/** host1 of the north-south scenario: uplink on port 9, A1 has floating IP 203.0.113.100. */
class NorthSouthBehaviourTest {
  static final int UPLINK = 9;
  static final String OUTSIDE_MAC = "02:aa:00:00:00:01";
  static final PacketTracer HOST1 = new PacketTracer(
      HostCompiler.compile(NORTH_SOUTH_MODEL, NORTH_SOUTH_BINDINGS, NEXT_HOPS, "host1"));
  static final Uplink UP = Uplink.of(NORTH_SOUTH_MODEL, NORTH_SOUTH_BINDINGS, "host1").orElseThrow();

  @Test
  void theOutsideReachesOnlyTheFloatingIpsPortAsItsPrivateAddress() {
    TraceResult r = HOST1.trace(Packet.at(UPLINK).eth(OUTSIDE_MAC, UP.mac().toString())
        .ipv4("203.0.113.1", "203.0.113.100"));
    assertEquals(1, r.outputs().size(), r.steps().toString());
    TraceResult.Output out = r.outputs().get(0);
    assertEquals(2, out.ofPort(), "to A1's port, never B1's (same private address)");
    assertEquals(IPv4Address.of(A1.ip()), out.packet().get(MatchField.IPV4_DST));
    assertEquals(MacAddress.of(A1.mac()), out.packet().get(MatchField.ETH_DST));
    assertEquals(GatewayMac.of(NET_A), out.packet().get(MatchField.ETH_SRC));
  }

  @Test
  void theOutsideCannotAddressPrivateOrNatAddressesDirectly() {
    for (String dst : List.of(A1.ip(), B1.ip(), "100.64.0.1", "203.0.113.99")) {
      assertTrue(HOST1.trace(Packet.at(UPLINK).eth(OUTSIDE_MAC, UP.mac().toString())
          .ipv4("203.0.113.1", dst)).outputs().isEmpty(), dst);
    }
  }

  @Test
  void theFloatingIpsPortLeavesAsItTowardsTheNextHop() {
    TraceResult r = HOST1.trace(Packet.at(2).eth(A1.mac(), GatewayMac.of(NET_A).toString())
        .ipv4(A1.ip(), "198.51.100.7"));
    assertEquals(1, r.outputs().size(), r.steps().toString());
    TraceResult.Output out = r.outputs().get(0);
    assertEquals(UPLINK, out.ofPort());
    assertEquals(IPv4Address.of("203.0.113.100"), out.packet().get(MatchField.IPV4_SRC));
    assertEquals(UP.mac(), out.packet().get(MatchField.ETH_SRC));
    assertEquals(MacAddress.of(OUTSIDE_MAC), out.packet().get(MatchField.ETH_DST));
  }

  @Test
  void addressesOfTheTenantsOwnNetworksAreNeverNated() {
    TraceResult r = HOST1.trace(Packet.at(2).eth(A1.mac(), GatewayMac.of(NET_A).toString())
        .ipv4(A1.ip(), "172.17.42.99"));
    assertTrue(r.outputs().isEmpty(), r.steps().toString());
  }

  @Test
  void uplinkArpAnswersOurAddressesOnlyAndLearnsTheNextHop() {
    byte[] forFip = new ArpPacket(MacAddress.of(OUTSIDE_MAC), MacAddress.BROADCAST, ArpPacket.REQUEST,
        MacAddress.of(OUTSIDE_MAC), IPv4Address.of("203.0.113.1"), MacAddress.NONE,
        IPv4Address.of("203.0.113.100")).toFrame();
    ArpPacket reply = ArpPacket.parse(UplinkArp.answer(UP, forFip).orElseThrow()).orElseThrow();
    assertEquals(UP.mac(), reply.sha());
    assertEquals(IPv4Address.of("203.0.113.100"), reply.spa());
    byte[] forOther = new ArpPacket(MacAddress.of(OUTSIDE_MAC), MacAddress.BROADCAST, ArpPacket.REQUEST,
        MacAddress.of(OUTSIDE_MAC), IPv4Address.of("203.0.113.1"), MacAddress.NONE,
        IPv4Address.of("203.0.113.55")).toFrame();
    assertTrue(UplinkArp.answer(UP, forOther).isEmpty());
    assertEquals(MacAddress.of(OUTSIDE_MAC), UplinkArp.nextHopMac(UP, forOther).orElseThrow(),
        "any ARP from the next hop's address teaches its MAC");
    ArpPacket ask = ArpPacket.parse(UplinkArp.resolveNextHop(UP)).orElseThrow();
    assertEquals(IPv4Address.of("203.0.113.11"), ask.spa(), "asks from the host's own address, not the network's");
    assertEquals(IPv4Address.of("203.0.113.1"), ask.tpa());
  }

  /**
   * The outside's ARP for the uplink's addresses is answered by the switch, as UplinkArp
   * would (so it keeps working while the controller is away); other uplink ARP (the next hop's
   * answer to Ferry's request) still goes to the controller, which learns the next hop from it.
   */
  @Test
  void outsideArpForOurAddressesIsAnsweredInTheDatapath() {
    for (String ip : List.of("203.0.113.100", "203.0.113.11")) {
      TraceResult r = HOST1.trace(Packet.at(UPLINK).eth(OUTSIDE_MAC, "ff:ff:ff:ff:ff:ff")
          .arp(1, OUTSIDE_MAC, "203.0.113.1", ip));
      assertTrue(r.toController().isEmpty(), r.steps().toString());
      assertEquals(1, r.outputs().size(), r.steps().toString());
      Packet out = r.outputs().get(0).packet();
      assertEquals(UPLINK, r.outputs().get(0).ofPort(), "back out of the uplink");
      assertEquals(UP.mac(), out.get(MatchField.ARP_SHA));
      assertEquals(UP.mac(), out.get(MatchField.ETH_SRC));
      assertEquals(IPv4Address.of(ip), out.get(MatchField.ARP_SPA));
      assertEquals(MacAddress.of(OUTSIDE_MAC), out.get(MatchField.ETH_DST));
      assertEquals(MacAddress.of(OUTSIDE_MAC), out.get(MatchField.ARP_THA));
      assertEquals(IPv4Address.of("203.0.113.1"), out.get(MatchField.ARP_TPA));
    }
    TraceResult other = HOST1.trace(Packet.at(UPLINK).eth(OUTSIDE_MAC, "ff:ff:ff:ff:ff:ff")
        .arp(1, OUTSIDE_MAC, "203.0.113.1", "203.0.113.55"));
    assertTrue(other.outputs().isEmpty());
    TraceResult answer = HOST1.trace(Packet.at(UPLINK).eth(OUTSIDE_MAC, UP.mac().toString())
        .arp(2, OUTSIDE_MAC, "203.0.113.1", "203.0.113.11"));
    assertEquals(1, answer.toController().size(), "the next hop's reply teaches the controller");
  }

  @Test
  void natAddressesAreStableDistinctAndInSharedSpace() {
    Map<String, IPv4Address> a = SnatAddresses.of(List.of("p1", "p2", "p3"));
    assertEquals(a, SnatAddresses.of(List.of("p3", "p1", "p2")));
    assertEquals(3, a.values().stream().distinct().count());
    a.values().forEach(ip -> assertTrue(
        org.projectfloodlight.openflow.types.IPv4AddressWithMask.of("100.64.0.0/10").contains(ip), ip.toString()));
  }
}
