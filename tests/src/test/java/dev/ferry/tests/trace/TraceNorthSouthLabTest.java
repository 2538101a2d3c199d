package dev.ferry.tests.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.tests.lab.ContainerSpec;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabContainer;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.lab.LabOutside;
import dev.ferry.tests.scenario.OverlayLab;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * North-south and security-group traces on real OVS, each checked against `ovs-appctl
 * ofproto/trace` on the host (same br-int tables, same end), and against a real packet: the
 * outside reaches a container by its floating IP, a container without one leaves by conntrack
 * SNAT as the uplink address, and a group that allows only tcp/80 drops tcp/22, naming the group.
 */
@ExtendWith(LabExtension.class)
class TraceNorthSouthLabTest {
  static final String FIP = "203.0.113.100";
  static final String UPLINK = "203.0.113.11";

  @Test
  void northSouthThroughNatAndSecurityGroupDropsAgreeWithOfprotoTrace(Lab lab, @TempDir Path dir) {
    try (OverlayLab f = OverlayLab.start(lab, dir)) {
      LabHost h1 = f.addHosts("h1").get(0);
      LabOutside inet = LabOutside.create(lab, "inet", "203.0.113.1/24");
      inet.connect(h1, "up1");
      f.api().patch("/v1/hosts/h1", Map.of("uplink", Map.of("interface", "up1",
          "address", UPLINK + "/24", "next_hop", "203.0.113.1")));
      f.api().createPool("public", "203.0.113.0/24", "203.0.113.100", "203.0.113.200");
      String tenant = f.api().createTenant("blue");
      String net = f.api().post("/v1/networks", Map.of("tenant", tenant, "name", "blue-net", "vni", 100,
          "cidr", "10.1.0.0/24", "gateway_ip", "10.1.0.1")).path("id").asText();
      LabContainer a = container(f, h1, net, "a", "02:00:00:00:01:02", "10.1.0.2");
      LabContainer s = container(f, h1, net, "s", "02:00:00:00:01:03", "10.1.0.3");
      f.api().allowIngressFromAnywhere(tenant);
      String portA = portId(f, "a");
      f.api().post("/v1/floating_ips", Map.of("tenant", tenant, "ip", FIP, "port", portA));
      f.converge();
      awaitFlow(h1, "nat(src=" + UPLINK + ")"); // the SNAT flow waits for the next hop's MAC

      // 1. from the outside to the floating IP: down to port a
      JsonNode in = trace(f, Map.of("from_address", inet.ip(), "to_ip", FIP));
      TraceLabTest.print("outside -> " + FIP, in);
      assertEquals("delivered to port a on h1 (floating IP " + FIP + "; allowed by security group 'default': "
          + "any ingress from anywhere)", in.path("verdict").asText());
      assertEquals("floating_ip", in.path("hops").get(0).path("owner").path("kind").asText());
      agrees(h1, in, h1.ofport("up1"));
      assertTrue(inet.ping(FIP, 1, 5) == 1, "the real ping to the floating IP");

      // 2. out of a: as the floating IP (stateless)
      JsonNode outA = trace(f, Map.of("from_port", "a", "to_ip", inet.ip()));
      TraceLabTest.print("a -> outside", outA);
      assertEquals("sent to the outside via the uplink of h1 as " + FIP + " (floating IP)",
          outA.path("verdict").asText());
      TraceLabTest.OvsTrace ovsA = agrees(h1, outA, a.ofport());
      assertTrue(ovsA.text().contains("src=" + FIP), ovsA.text());

      // 3. out of s, which has no floating IP: conntrack SNAT to the uplink address
      JsonNode outS = trace(f, Map.of("from_port", "s", "to_ip", inet.ip(), "protocol", "tcp",
          "dst_port", 443));
      TraceLabTest.print("s -> outside tcp/443", outS);
      assertEquals("sent to the outside via the uplink of h1 as " + UPLINK + " (SNAT)",
          outS.path("verdict").asText());
      JsonNode natHop = outS.path("hops").get(outS.path("hops").size() - 1);
      assertEquals("nat", natHop.path("table").asText());
      assertEquals("s", natHop.path("owner").path("name").asText());
      TraceLabTest.OvsTrace ovsS = agrees(h1, outS, s.ofport());
      assertTrue(ovsS.text().contains("nat(src=" + UPLINK + ")"), ovsS.text());
      assertEquals(1, s.ping(inet.ip(), 1, 5), "the real ping through SNAT");
      System.out.println("$ ferryctl trace --from-port s --to-ip " + inet.ip() + "\n"
          + TraceLabTest.ctl(f, "trace", "--from-port", "s", "--to-ip", inet.ip()));

      // 4. a group that lets in only tcp/80: tcp/22 from a to s is dropped, naming the group
      String web = f.api().post("/v1/security_groups", Map.of("tenant", tenant, "name", "web"))
          .path("id").asText();
      String rule = f.api().post("/v1/security_group_rules", Map.of("security_group", web,
          "direction", "ingress", "protocol", "tcp", "port_range_min", 80, "port_range_max", 80))
          .path("id").asText();
      String portS = portId(f, "s");
      f.api().patch("/v1/ports/" + portS, Map.of("security_groups", List.of(web)));
      f.converge();
      JsonNode ssh = trace(f, Map.of("from_port", "a", "to_port", "s", "protocol", "tcp", "dst_port", 22));
      TraceLabTest.print("a -> s tcp/22", ssh);
      assertEquals("dropped in ingress_acl on h1: no rule of security group 'web' allows tcp/22 "
          + "ingress to port s", ssh.path("verdict").asText());
      JsonNode dropHop = ssh.path("hops").get(ssh.path("hops").size() - 1);
      assertEquals("security_group_drop", dropHop.path("owner").path("kind").asText());
      TraceLabTest.OvsTrace ovsSsh = agrees(h1, ssh, a.ofport());
      assertTrue(ovsSsh.dropped(), ovsSsh.text());

      JsonNode http = trace(f, Map.of("from_port", "a", "to_port", "s", "protocol", "tcp", "dst_port", 80));
      TraceLabTest.print("a -> s tcp/80", http);
      assertEquals("delivered to port s on h1 (allowed by security group 'web': tcp/80 ingress from anywhere)",
          http.path("verdict").asText());
      JsonNode allow = null;
      for (JsonNode h : http.path("hops")) {
        if (h.path("table").asText().equals("ingress_acl")) {
          allow = h.path("owner");
        }
      }
      assertEquals(rule, allow.path("id").asText(), http.toString());
      assertEquals("rule " + rule + " of security group 'web': tcp/80 ingress from anywhere",
          allow.path("description").asText());
      TraceLabTest.OvsTrace ovsHttp = agrees(h1, http, a.ofport());
      assertFalse(ovsHttp.dropped(), ovsHttp.text());
      JsonNode out = trace(f, Map.of("from_port", "s", "to_ip", inet.ip()));
      assertEquals("dropped in egress_acl on h1: no rule of security group 'web' allows icmp (type 8) "
          + "egress from port s", out.path("verdict").asText(), "web has no egress rule");
      agrees(h1, out, s.ofport());
      System.out.println("$ ferryctl trace --from-port s --to-ip " + inet.ip() + "   # s in web only\n"
          + TraceLabTest.ctl(f, "trace", "--from-port", "s", "--to-ip", inet.ip()));
      System.out.println("$ ferryctl trace --from-port a --to-port s --protocol tcp --dst-port 22\n"
          + TraceLabTest.ctl(f, "trace", "--from-port", "a", "--to-port", "s", "--protocol", "tcp",
          "--dst-port", "22"));
      System.out.println("$ ferryctl trace --from-address " + inet.ip() + " --to-ip " + FIP + "\n"
          + TraceLabTest.ctl(f, "trace", "--from-address", inet.ip(), "--to-ip", FIP));
    }
  }

  private static LabContainer container(OverlayLab f, LabHost host, String net, String name,
      String mac, String ip) {
    LabContainer c = host.addContainer(ContainerSpec.of(name, mac, ip + "/24").withGateway("10.1.0.1"));
    f.api().createPort(net, name, mac, c.ip(), host.name(), c.ovsPort());
    return c;
  }

  private static String portId(OverlayLab f, String name) {
    for (JsonNode p : f.api().get("/v1/ports")) {
      if (p.path("name").asText().equals(name)) {
        return p.path("id").asText();
      }
    }
    throw new AssertionError("no port " + name);
  }

  private static JsonNode trace(OverlayLab f, Map<String, Object> body) {
    return f.api().post("/v1/trace", body);
  }

  /**
   * The packet Ferry traced, given to ofproto/trace on the same host (in_port as its number):
   * the same br-int tables, and delivered/sent versus dropped the same way.
   */
  private static TraceLabTest.OvsTrace agrees(LabHost h, JsonNode answer, int inPort) {
    String flow = answer.path("packet").asText().replaceFirst("^in_port=[^,]+", "in_port=" + inPort)
        + ",nw_ttl=64";
    TraceLabTest.OvsTrace ovs = TraceLabTest.ofprotoTrace(h, flow);
    List<Integer> ferry = new java.util.ArrayList<>();
    answer.path("hops").forEach(hop -> ferry.add(hop.path("table_id").asInt()));
    assertEquals(ovs.tables(), ferry, flow + "\n" + ovs.text());
    boolean ferryDropped = answer.path("verdict").asText().startsWith("dropped");
    assertEquals(ferryDropped, ovs.dropped(), ovs.text());
    return ovs;
  }

  /** Waits (deadline 20 s) until a flow on the host's br-int contains the text. */
  private static void awaitFlow(LabHost h, String text) {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (h.dumpFlows().stream().noneMatch(l -> l.contains(text))) {
      assertTrue(System.nanoTime() < deadline, "no flow with " + text + ": " + h.dumpFlows());
      dev.ferry.tests.lab.Shell.pause(100);
    }
  }
}
