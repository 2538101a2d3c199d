package dev.ferry.tests.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.ferry.tests.lab.CapturedPacket;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabContainer;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.scenario.OverlayLab;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import dev.ferry.tests.lab.LabProcess;
import dev.ferry.tests.lab.Shell;
import java.util.Map;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Security groups on real OVS, two hosts, one tenant: b1 (h1) in default and web, b2 (h2) in
 * web only (which lets in tcp/80 and tcp/81 from web members and lets everything out), b3 (h1)
 * in default only. Every write waits for the switches, so no check retries.
 */
@ExtendWith(LabExtension.class)
class SecurityGroupTest {

  @Test
  void groupsDecideWhoConnectsAndDeletingARuleOrLeavingARemoteGroupCutsOnlyTheirConnections(Lab lab, @TempDir Path dir) {
    try (OverlayLab f = OverlayLab.start(lab, dir)) {
      List<LabHost> hosts = f.addHosts("h1", "h2");
      String tenant = f.api().createTenant("blue");
      String net = f.api().createNetwork(tenant, "blue-net", 100, "172.17.42.0/24");
      LabContainer b1 = f.addContainer(hosts.get(0), net, "b1", "02:00:00:00:00:02", "172.17.42.2/24");
      LabContainer b2 = f.addContainer(hosts.get(1), net, "b2", "02:00:00:00:00:10", "172.17.42.10/24");
      LabContainer b3 = f.addContainer(hosts.get(0), net, "b3", "02:00:00:00:00:03", "172.17.42.3/24");
      String web = f.api().post("/v1/security_groups", Map.of("tenant", tenant, "name", "web")).path("id").asText();
      String web80 = rule(f, web, "ingress", "80", web);
      rule(f, web, "ingress", "81", web);
      f.api().post("/v1/security_group_rules", Map.of("security_group", web, "direction", "egress"));
      f.api().patch("/v1/ports/" + portId(f, "b1"), Map.of("security_groups", List.of("default-" + tenant, web)));
      f.api().patch("/v1/ports/" + portId(f, "b2"), Map.of("security_groups", List.of(web)));

      // default group: members reach each other (and the replies come back); others cannot get in
      assertEquals(2, b1.ping(b3.ip(), 2, 2), "default members ping each other");
      assertEquals(0, b2.ping(b1.ip(), 2, 1), "b2 is not in default: its ping is not let in");
      // tcp/80 from the remote group web
      LabProcess server80 = b2.spawn("nc", "-lk", "80");
      LabProcess server81 = b2.spawn("nc", "-lk", "81");
      try {
        Shell.pause(300);
        assertTrue(b1.exec("nc", "-z", "-w", "2", b2.ip(), "80").ok(), "web member connects to b2:80");
        assertFalse(b3.exec("nc", "-z", "-w", "1", b2.ip(), "80").ok(), "non-member cannot");
        var drops = f.api().get("/v1/ports/" + portId(f, "b2") + "/security_drops");
        assertTrue(drops.path("ingress_dropped_packets").asLong() > 0, "b2's drop flow counted the refused SYNs: " + drops);
        f.api().patch("/v1/ports/" + portId(f, "b3"), Map.of("security_groups", List.of("default-" + tenant, web)));
        assertTrue(b3.exec("nc", "-z", "-w", "2", b2.ip(), "80").ok(), "added to web, it connects");

        // two long sessions from b1: one allowed by web-80, one by web-81
        LabProcess s80 = b1.spawn("sh", "-c", "i=0; while true; do echo a$i; i=$((i+1)); sleep 0.05; done | nc " + b2.ip() + " 80");
        LabProcess s81 = b1.spawn("sh", "-c", "i=0; while true; do echo b$i; i=$((i+1)); sleep 0.05; done | nc " + b2.ip() + " 81");
        try {
          Shell.pause(1000);
          assertTrue(count(server80, "a") > 5 && count(server81, "b") > 5, "both sessions carry data");
          f.api().delete("/v1/security_group_rules/" + web80);
          long deleted = System.nanoTime();
          Shell.pause(1000);
          int at1s80 = count(server80, "a");
          int at1s81 = count(server81, "b");
          Shell.pause(1000);
          System.out.println("after deleting web-80: +" + (count(server80, "a") - at1s80) + " lines on :80, +"
              + (count(server81, "b") - at1s81) + " on :81 in the second after the first ("
              + (System.nanoTime() - deleted) / 1_000_000 + " ms since the delete returned)");
          assertEquals(at1s80, count(server80, "a"), "the session of the deleted rule is cut within 1 s");
          assertTrue(count(server81, "b") > at1s81 + 5, "the session of web-81 carries on");
          // one rule (tcp 82-83 from web), two members' sessions: b3 leaves web, only its own stops
          String web8283 = f.api().post("/v1/security_group_rules", Map.of("security_group", web, "direction", "ingress",
              "protocol", "tcp", "port_range_min", 82, "port_range_max", 83, "remote_group_id", web)).path("id").asText();
          LabProcess server82 = b2.spawn("nc", "-lk", "82");
          LabProcess server83 = b2.spawn("nc", "-lk", "83");
          LabProcess s82 = null;
          LabProcess s83 = null;
          try {
            Shell.pause(300);
            s82 = b1.spawn("sh", "-c", "i=0; while true; do echo c$i; i=$((i+1)); sleep 0.05; done | nc " + b2.ip() + " 82");
            s83 = b3.spawn("sh", "-c", "i=0; while true; do echo d$i; i=$((i+1)); sleep 0.05; done | nc " + b2.ip() + " 83");
            Shell.pause(1000);
            assertTrue(count(server82, "c") > 5 && count(server83, "d") > 5, "both members' sessions carry data");
            f.api().patch("/v1/ports/" + portId(f, "b3"), Map.of("security_groups", List.of("default-" + tenant)));
            long left = System.nanoTime();
            Shell.pause(1000);
            int at1s82 = count(server82, "c");
            int at1s83 = count(server83, "d");
            int at2s81 = count(server81, "b");
            Shell.pause(1000);
            System.out.println("after b3 left web: +" + (count(server83, "d") - at1s83) + " lines of b3's session, +"
                + (count(server82, "c") - at1s82) + " of b1's (same rule) in the second after the first ("
                + (System.nanoTime() - left) / 1_000_000 + " ms since the patch returned)");
            assertEquals(at1s83, count(server83, "d"), "b3's session is cut within 1 s of b3 leaving the remote group");
            assertTrue(count(server82, "c") > at1s82 + 5, "b1's session by the same rule carries on");
            assertTrue(count(server81, "b") > at2s81 + 5, "and so does b1's session by web-81");
            var ruleDrops = f.api().get("/v1/security_group_rules/" + web8283 + "/drops");
            assertTrue(ruleDrops.path("dropped_packets").asLong() > 0,
                "the rule's drop flow counted b3's cut session: " + ruleDrops);
          } finally {
            if (s82 != null) {
              s82.stop();
            }
            if (s83 != null) {
              s83.stop();
            }
            server82.stop();
            server83.stop();
          }
        } finally {
          s80.stop();
          s81.stop();
        }
      } finally {
        server80.stop();
        server81.stop();
      }
    }
  }

  private static String rule(OverlayLab f, String group, String direction, String port, String remote) {
    return f.api().post("/v1/security_group_rules", Map.of("security_group", group, "direction", direction,
        "protocol", "tcp", "port_range_min", Integer.parseInt(port), "port_range_max", Integer.parseInt(port),
        "remote_group_id", remote)).path("id").asText();
  }

  private static int count(LabProcess server, String prefix) {
    return (int) server.outputLines().stream().filter(l -> l.startsWith(prefix)).count();
  }

  private static String portId(OverlayLab f, String name) {
    for (var p : f.api().get("/v1/ports")) {
      if (name.equals(p.path("name").asText())) {
        return p.path("id").asText();
      }
    }
    throw new AssertionError("no port " + name);
  }
}
