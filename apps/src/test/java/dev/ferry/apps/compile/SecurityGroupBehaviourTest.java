package dev.ferry.apps.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.model.SecurityGroupRule;
import dev.ferry.apps.testing.SeedScenario;
import dev.ferry.apps.trace.Conntrack;
import dev.ferry.apps.trace.Packet;
import dev.ferry.apps.trace.PacketTracer;
import dev.ferry.apps.trace.TraceResult;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;

/**
 * Security groups traced through host1's compiled flows (A1 on OpenFlow port 2 and A3 on port 4
 * share host1; see SeedScenario.SECURED_MODEL) against a reference reading of the rules:
 * a new connection is delivered exactly when an egress rule of the sender and an ingress rule
 * of the receiver allow it; replies of a delivered connection are delivered without any rule;
 * deleting the rule that allowed a connection stops it while others carry on.
 */
class SecurityGroupBehaviourTest {
  private static final Port A1 = SeedScenario.SECURED_MODEL.ports().get("a1");
  private static final Port A3 = SeedScenario.SECURED_MODEL.ports().get("a3");
  private static final int A1_PORT = 2;
  private static final int A3_PORT = 4;
  private static final int[] PROTOCOLS = {6, 17, 1};
  private static final int[] DST_PORTS = {22, 53, 80, 81, 999, 1000, 1500, 1999, 2000};

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void aPacketNoRuleAllowsIsNeverDeliveredAndAllowedOnesAre(long seed) {
    Random r = new Random(seed);
    Model model = randomRules(r);
    var state = HostCompiler.compile(model, SeedScenario.SECURED_BINDINGS, "host1");
    for (int i = 0; i < 60; i++) {
      boolean fromA1 = r.nextBoolean();
      Port src = fromA1 ? A1 : A3;
      Port dst = fromA1 ? A3 : A1;
      int proto = PROTOCOLS[r.nextInt(PROTOCOLS.length)];
      int dport = DST_PORTS[r.nextInt(DST_PORTS.length)];
      PacketTracer tracer = new PacketTracer(state, new Conntrack());
      TraceResult t = tracer.trace(packet(src, fromA1 ? A1_PORT : A3_PORT, dst, proto, 40000 + i, dport));
      boolean expected = allows(model, src, dst, proto, dport);
      assertEquals(expected, deliveredTo(t, fromA1 ? A3_PORT : A1_PORT),
          src.id() + "->" + dst.id() + " proto " + proto + " port " + dport + "\n" + model.securityGroupRules().values() + "\n" + String.join("\n", t.steps()));
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13})
  void returnTrafficOfAnAllowedConnectionIsDelivered(long seed) {
    Random r = new Random(seed);
    // A1's egress stays open, so some connections go through; replies need no rule
    Model model = randomRules(r).withRules(Model.defaultRules("tenant-a"));
    var state = HostCompiler.compile(model, SeedScenario.SECURED_BINDINGS, "host1");
    int delivered = 0;
    for (int i = 0; i < 4 * DST_PORTS.length; i++) {
      int proto = PROTOCOLS[i / DST_PORTS.length % 2];
      int dport = DST_PORTS[i % DST_PORTS.length];
      boolean fromA1 = i < 2 * DST_PORTS.length;
      Port src = fromA1 ? A1 : A3;
      Port dst = fromA1 ? A3 : A1;
      int srcPort = fromA1 ? A1_PORT : A3_PORT;
      int dstPort = fromA1 ? A3_PORT : A1_PORT;
      PacketTracer tracer = new PacketTracer(state, new Conntrack());
      if (!deliveredTo(tracer.trace(packet(src, srcPort, dst, proto, 40000 + i, dport)), dstPort)) {
        continue;
      }
      delivered++;
      TraceResult reply = tracer.trace(packet(dst, dstPort, src, proto, dport, 40000 + i));
      assertTrue(deliveredTo(reply, srcPort), String.join("\n", reply.steps()));
    }
    assertTrue(delivered > 0, "some connection was allowed");
  }

  @Test
  void deletingTheRuleCutsItsConnectionAndOnlyIt() {
    // A3's tcp/80 leaves by "a3-out" of web and enters A1 by web-80; A1's ping leaves by
    // default's egress rule (the only one allowing icmp out) and enters A3 by web-ping.
    Model model = SeedScenario.SECURED_MODEL.withRules(List.of(
        SeedScenario.rule("a3-out", "web", "egress", 6, 80, 80, null, null)));
    Conntrack ct = new Conntrack();
    PacketTracer before = new PacketTracer(HostCompiler.compile(model, SeedScenario.SECURED_BINDINGS, "host1"), ct);
    Packet web = packet(A3, A3_PORT, A1, 6, 40001, 80);
    Packet other = packet(A1, A1_PORT, A3, 1, 0, 0);
    assertTrue(deliveredTo(before.trace(web), A1_PORT));
    assertTrue(deliveredTo(before.trace(other), A3_PORT));
    Model without = model.withoutRule("default-tenant-a-egress");
    PacketTracer after = new PacketTracer(HostCompiler.compile(without, SeedScenario.SECURED_BINDINGS, "host1"), ct);
    assertFalse(deliveredTo(after.trace(other), A3_PORT), "A1's connection was committed by the deleted egress rule");
    assertTrue(deliveredTo(after.trace(web), A1_PORT), "A3's connection, allowed by web-80 and A3's egress, carries on");
    assertTrue(deliveredTo(after.trace(packet(A1, A1_PORT, A3, 6, 80, 40001)), A3_PORT), "and so do its replies");
  }

  @Test
  void removingAPortFromTheRemoteGroupCutsTheConnectionsItNoLongerGetsAndOnlyThem() {
    // A1 -> A3 tcp/80 enters A3 by web-80 (from members of web: A1 is one); A1's ping enters
    // A3 by web-ping (from anywhere). A1 leaves web: its tcp/80 stops, its ping carries on.
    Model model = SeedScenario.SECURED_MODEL;
    Conntrack ct = new Conntrack();
    PacketTracer before = new PacketTracer(HostCompiler.compile(model, SeedScenario.SECURED_BINDINGS, "host1"), ct);
    Packet web = packet(A1, A1_PORT, A3, 6, 40001, 80);
    Packet ping = packet(A1, A1_PORT, A3, 1, 0, 0);
    assertTrue(deliveredTo(before.trace(web), A3_PORT));
    assertTrue(deliveredTo(before.trace(ping), A3_PORT));
    assertTrue(deliveredTo(before.trace(packet(A3, A3_PORT, A1, 6, 80, 40001)), A1_PORT), "the reply");
    Port a1 = model.ports().get("a1");
    Model left = model.withGroupsAndRules(List.of(), List.of());
    left = new Model(left.tenants(), left.networks(), withPort(left, new Port(a1.id(), a1.networkId(), a1.name(),
        a1.mac(), a1.ip(), a1.host(), a1.interfaceName(), true, List.of("default-tenant-a"), 2)),
        left.hosts(), left.floatingIps(), left.securityGroups(), left.securityGroupRules(), 0);
    PacketTracer after = new PacketTracer(HostCompiler.compile(left, SeedScenario.SECURED_BINDINGS, "host1"), ct);
    assertFalse(deliveredTo(after.trace(web), A3_PORT), "A1 is no member of web: web-80 no longer lets it in");
    assertFalse(deliveredTo(after.trace(packet(A3, A3_PORT, A1, 6, 80, 40001)), A1_PORT), "nor its replies out");
    assertTrue(deliveredTo(after.trace(ping), A3_PORT), "the ping, allowed by web-ping, carries on");
  }

  private static java.util.Map<String, Port> withPort(Model m, Port p) {
    java.util.Map<String, Port> ports = new java.util.HashMap<>(m.ports());
    ports.put(p.id(), p);
    return ports;
  }

  private static Packet packet(Port src, int inPort, Port dst, int proto, int sport, int dport) {
    Packet p = Packet.at(inPort).eth(src.mac(), dst.mac()).ipv4(src.ip(), dst.ip());
    return switch (proto) {
      case 6 -> p.tcp(sport, dport);
      case 17 -> p.udp(sport, dport);
      default -> p;
    };
  }

  private static boolean deliveredTo(TraceResult t, int ofPort) {
    return t.outputs().stream().anyMatch(o -> o.ofPort() == ofPort);
  }

  /** Tenant A's default group and "web" with 0-5 random rules each (plus the seed's). */
  private static Model randomRules(Random r) {
    Model m = SeedScenario.SECURED_MODEL;
    List<SecurityGroupRule> rules = new java.util.ArrayList<>();
    for (int i = 0; i < r.nextInt(6); i++) {
      String group = r.nextBoolean() ? "web" : "default-tenant-a";
      String dir = r.nextBoolean() ? "ingress" : "egress";
      int proto = PROTOCOLS[r.nextInt(PROTOCOLS.length)];
      Integer min = null;
      Integer max = null;
      if (proto != 1 && r.nextBoolean()) {
        min = 1 + r.nextInt(1500);
        max = min + r.nextInt(600);
      }
      String prefix = r.nextInt(3) == 0 ? "172.17.42." + (r.nextBoolean() ? "2/32" : "0/28") : null;
      String remote = prefix == null && r.nextBoolean() ? (r.nextBoolean() ? "web" : "default-tenant-a") : null;
      rules.add(SeedScenario.rule("r" + i, group, dir, proto, min, max, prefix, remote));
    }
    if (r.nextBoolean()) {
      m = m.withoutRule("default-tenant-a-egress");
    }
    return m.withRules(rules);
  }

  /** The reference: some egress rule of src's groups and some ingress rule of dst's groups match. */
  static boolean allows(Model m, Port src, Port dst, int proto, int dport) {
    return m.securityGroupRules().values().stream().anyMatch(r -> !r.ingress() && applies(m, r, src, dst, proto, dport))
        && m.securityGroupRules().values().stream().anyMatch(r -> r.ingress() && applies(m, r, dst, src, proto, dport));
  }

  private static boolean applies(Model m, SecurityGroupRule r, Port self, Port other, int proto, int dport) {
    Network n = m.networks().get(self.networkId());
    if (!self.groupsOr(n.tenantId()).contains(r.securityGroupId())) {
      return false;
    }
    if (r.protocol() != null && r.protocol() != proto) {
      return false;
    }
    if (r.portRangeMin() != null && (dport < r.portRangeMin() || dport > r.portRangeMax())) {
      return false;
    }
    if (r.remoteIpPrefix() != null
        && !IPv4AddressWithMask.of(r.remoteIpPrefix()).matches(IPv4Address.of(other.ip()))) {
      return false;
    }
    return r.remoteGroupId() == null || other.groupsOr(n.tenantId()).contains(r.remoteGroupId());
  }
}
