package dev.ferry.apps.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.apps.compile.HostCompiler;
import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.pipeline.FlowText;
import dev.ferry.apps.testing.SeedScenario;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Traces over the seed scenario's compiled flows: the hops and the sentence a user reads. */
class OverlayTraceTest {
  static final Model M = SeedScenario.MODEL;
  static final Bindings B = SeedScenario.BINDINGS;
  static final FlowOwners OWNERS = new FlowOwners(M);

  record Answer(OverlayTrace.Result result, String verdict) {}

  static Answer trace(TraceStart.Spec spec, boolean admin) {
    TraceStart.Start start = TraceStart.of(M, B, spec);
    OverlayTrace.Result r = new OverlayTrace(M, B,
        h -> Optional.of(HostCompiler.compile(M, B, h))).walk(start.host(), start.packet());
    String verdict = new Verdict(M, OWNERS, t -> admin || t.equals("tenant-a"))
        .of(r, start.source());
    return new Answer(r, verdict);
  }

  static TraceStart.Spec ping(Port from, String toIp, Port toPort, String srcIp) {
    return new TraceStart.Spec(from, null, toIp, toPort, "icmp", null, null, null, null, srcIp, null);
  }

  static List<String> tables(OverlayTrace.Result r) {
    return r.hops().stream().map(h -> h.host() + ":" + h.table()).toList();
  }

  @Test
  void pingAcrossHostsIsDeliveredThroughBothPipelines() {
    Answer a = trace(ping(SeedScenario.A1, null, SeedScenario.A2, null), false);
    assertEquals("delivered to port a2 on host2 (allowed by security group 'default': any ingress from group 'default')", a.verdict());
    // the tenant's default security group: egress conntrack on the sender's host, ingress on the receiver's
    assertEquals(List.of("host1:classify", "host1:port_security", "host1:egress_ct", "host1:egress_acl",
        "host1:egress_commit", "host1:services", "host1:l2_forward", "host2:classify", "host2:l2_forward",
        "host2:ingress_ct", "host2:ingress_acl", "host2:ingress_out"), tables(a.result()));
    assertEquals("a1", OWNERS.of(a.result().hops().get(0).flow().cookie()).orElseThrow().name());
  }

  @Test
  void otherTenantsPortIsAnIsolationDropInL2Forward() {
    Answer a = trace(ping(SeedScenario.A1, null, SeedScenario.B2, null), true);
    assertEquals("dropped in l2_forward on host1: 02:00:00:00:b0:0a is port b2 of network net-b "
        + "of another tenant, which network net-a does not reach at layer 2 (isolation)", a.verdict());
  }

  @Test
  void aTenantIsNeverToldWhoseMacItWas() {
    Answer a = trace(ping(SeedScenario.A1, null, SeedScenario.B2, null), false);
    assertEquals("dropped in l2_forward on host1: no port of network net-a has MAC 02:00:00:00:b0:0a",
        a.verdict());
  }

  @Test
  void spoofedSourceIsDroppedInPortSecurity() {
    Answer a = trace(ping(SeedScenario.A1, null, SeedScenario.A2, "172.17.42.9"), false);
    assertEquals("dropped in port_security on host1: source 172.17.42.9 is not port a1's address "
        + "(172.17.42.2)", a.verdict());
  }

  @Test
  void anAddressNobodyHoldsIsNeverSent() {
    TraceStart.Start s = TraceStart.of(M, B, ping(SeedScenario.A1, "172.17.42.77", null, null));
    assertTrue(s.unsendable().contains("no port of network net-a has address 172.17.42.77"), s.unsendable());
  }

  static Answer traceNorthSouth(TraceStart.Spec spec) {
    Model m = SeedScenario.NORTH_SOUTH_MODEL;
    Bindings b = SeedScenario.NORTH_SOUTH_BINDINGS;
    TraceStart.Start start = TraceStart.of(m, b, spec);
    OverlayTrace.Result r = new OverlayTrace(m, b, h -> Optional.of(
        HostCompiler.compile(m, b, SeedScenario.NEXT_HOPS, h))).walk(start.host(), start.packet());
    return new Answer(r, new Verdict(m, new FlowOwners(m), t -> true).of(r, start.source()));
  }

  @Test
  void northSouthThroughTheFloatingIpBothWays() {
    Answer in = traceNorthSouth(new TraceStart.Spec(null, "198.51.100.7", "203.0.113.100", null,
        "tcp", 40000, 22, null, null, null, null));
    assertEquals("delivered to port a1 on host1 (floating IP 203.0.113.100; allowed by security group 'default': any ingress from anywhere)", in.verdict());
    assertEquals("floating_ip", OWNERS_NS.of(in.result().hops().get(0).flow().cookie()).orElseThrow().kind());
    Answer out = traceNorthSouth(ping(SeedScenario.A1, "198.51.100.7", null, null));
    assertEquals("sent to the outside via the uplink of host1 as 203.0.113.100 (floating IP)", out.verdict());
  }

  @Test
  void aPortWithoutFloatingIpLeavesThroughConntrackSnatAsTheUplinkAddress() {
    for (Port p : List.of(SeedScenario.A3, SeedScenario.B1)) {
      Answer out = traceNorthSouth(new TraceStart.Spec(p, null, "198.51.100.7", null, "tcp", 40000, 443,
          null, null, null, null));
      assertEquals("sent to the outside via the uplink of host1 as 203.0.113.11 (SNAT)", out.verdict(),
          p.id() + ": " + tables(out.result()));
      OverlayTrace.Hop nat = out.result().hops().get(out.result().hops().size() - 1);
      assertEquals("nat", nat.table());
      assertEquals(p.id(), OWNERS_NS.of(nat.flow().cookie()).orElseThrow().id());
    }
  }

  /** The reply finds the connection the request committed: un-NATed to the port's own address. */
  @Test
  void theReplyToAnSnatConnectionIsUnNatedBackToThePort() {
    Model m = SeedScenario.NORTH_SOUTH_MODEL;
    Bindings b = SeedScenario.NORTH_SOUTH_BINDINGS;
    PacketTracer host1 = new PacketTracer(HostCompiler.compile(m, b, SeedScenario.NEXT_HOPS, "host1"),
        new Conntrack());
    Packet request = TraceStart.of(m, b, new TraceStart.Spec(SeedScenario.B1, null, "198.51.100.7", null,
        "tcp", 40000, 443, null, null, null, null)).packet();
    TraceResult sent = host1.trace(request);
    assertEquals(List.of(9), sent.outputs().stream().map(TraceResult.Output::ofPort).toList(), sent.steps().toString());
    Packet reply = Packet.at(9).eth("02:aa:00:00:00:01", "02:00:00:00:00:00").ipv4("198.51.100.7", "203.0.113.11")
        .tcp(443, 40000);
    reply = reply.with(org.projectfloodlight.openflow.protocol.match.MatchField.ETH_DST,
        sent.outputs().get(0).packet().get(org.projectfloodlight.openflow.protocol.match.MatchField.ETH_SRC));
    TraceResult back = host1.trace(reply);
    assertEquals(List.of(3), back.outputs().stream().map(TraceResult.Output::ofPort).toList(), back.steps().toString());
    assertEquals(org.projectfloodlight.openflow.types.IPv4Address.of("172.17.42.2"), back.outputs().get(0).packet()
        .get(org.projectfloodlight.openflow.protocol.match.MatchField.IPV4_DST));
    TraceResult stranger = new PacketTracer(HostCompiler.compile(m, b, SeedScenario.NEXT_HOPS, "host1"),
        new Conntrack()).trace(reply);
    assertTrue(stranger.outputs().isEmpty(), "no connection, no way in: " + stranger.steps());
  }

  static Answer traceSecured(TraceStart.Spec spec, java.util.function.Predicate<String> sees) {
    Model m = SeedScenario.SECURED_MODEL;
    Bindings b = SeedScenario.SECURED_BINDINGS;
    TraceStart.Start start = TraceStart.of(m, b, spec);
    OverlayTrace.Result r = new OverlayTrace(m, b, h -> Optional.of(HostCompiler.compile(m, b, h)))
        .walk(start.host(), start.packet());
    return new Answer(r, new Verdict(m, new FlowOwners(m), sees).of(r, start.source()));
  }

  static TraceStart.Spec tcp(Port from, Port to, int dstPort) {
    return new TraceStart.Spec(from, null, null, to, "tcp", 40000, dstPort, null, null, null, null);
  }

  @Test
  void aDropBySecurityGroupsNamesTheGroupsDirectionAndPort() {
    Answer in = traceSecured(tcp(SeedScenario.A2, SeedScenario.A3, 22), t -> true);
    assertEquals("dropped in ingress_acl on host1: no rule of security group 'web' allows tcp/22 "
        + "ingress to port a3", in.verdict());
    Answer out = traceSecured(tcp(SeedScenario.A3, SeedScenario.A2, 80), t -> true);
    assertEquals("dropped in egress_acl on host1: no rule of security group 'web' allows tcp/80 "
        + "egress from port a3", out.verdict());
    Answer hidden = traceSecured(tcp(SeedScenario.A2, SeedScenario.A3, 22), t -> false);
    assertEquals("dropped in ingress_acl on host1: the destination's security groups allow no tcp/22 "
        + "ingress", hidden.verdict());
  }

  @Test
  void theHopThatAllowsANewConnectionIsOwnedByTheRule() {
    Answer a = traceSecured(tcp(SeedScenario.A1, SeedScenario.A3, 80), t -> true);
    assertEquals("delivered to port a3 on host1 (allowed by security group 'web': tcp/80 ingress from group 'web')", a.verdict());
    FlowOwners owners = new FlowOwners(SeedScenario.SECURED_MODEL);
    FlowOwners.Owner allow = a.result().hops().stream().filter(h -> h.table().equals("ingress_acl"))
        .map(h -> owners.of(h.flow().cookie()).orElseThrow()).findFirst().orElseThrow();
    assertEquals("security_group_rule", allow.kind());
    assertEquals("rule web-80 of security group 'web': tcp/80 ingress from group 'web'", allow.describe());
    FlowOwners.Owner drop = owners.of(dev.ferry.apps.compile.SecurityGroupFlows.dropCookie("a3", true)).orElseThrow();
    assertEquals("port a3's security groups, ingress: no rule allows it", drop.describe());
    FlowOwners.Owner ruleDrop = owners.of(dev.ferry.apps.compile.SecurityGroupFlows.ruleDropCookie("web-80"))
        .orElseThrow();
    assertEquals("rule web-80 of security group 'web': tcp/80 ingress from group 'web', for connections "
        + "whose other end left the remote group", ruleDrop.describe());
  }

  static final FlowOwners OWNERS_NS = new FlowOwners(SeedScenario.NORTH_SOUTH_MODEL);

  @Test
  void arpForAPeerIsAnsweredByTheSwitch() {
    Answer a = trace(new TraceStart.Spec(SeedScenario.A1, null, "172.17.42.10", null, "arp",
        null, null, null, null, null, null), false);
    assertTrue(a.verdict().startsWith("answered by host1's switch in services"), a.verdict());
    assertTrue(a.verdict().endsWith("the reply goes back to port a1"), a.verdict());
  }

  @Test
  void badInputNamesTheField() {
    var e = assertThrows(TraceStart.BadSpec.class,
        () -> TraceStart.of(M, B, ping(SeedScenario.A1, "10.1.1", null, null)));
    assertEquals("to_ip", e.field);
    var unbound = assertThrows(TraceStart.BadSpec.class,
        () -> TraceStart.of(M, B, ping(SeedScenario.A3, "172.17.42.2", null, null)));
    assertEquals("from_port", unbound.field);
  }

  @Test
  void namedFlowsSayNetworkPortHostAndOwner() {
    var state = HostCompiler.compile(M, B, "host1");
    FlowNames names = new FlowNames(M, B, "host1", OWNERS);
    String l2ToA2 = state.flows().stream().map(f -> FlowText.flow(f, FlowText.Style.NAMED, names))
        .filter(t -> t.contains("l2:port=a2")).findFirst().orElseThrow();
    assertEquals("table=l2_forward, priority=100, cookie=l2:port=a2, metadata=network:net-a/vni100,"
        + "dl_dst=02:00:00:00:a0:0a actions=set_field:0x64->tun_id,set_field:host2->tun_dst,"
        + "output:vxlan0", l2ToA2);
  }
}
