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
import java.util.ArrayList;
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
  void groupsDecideWhoConnectsAndDeletingARuleOrLeavingARemoteGroupCutsOnlyTheirConnections(Lab lab, @TempDir Path dir)
      throws Exception {
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
      List<LabProcess> started = new ArrayList<>();
      try {
        Session web80a = Session.of(b2, 80, "a", started);
        Session web81b = Session.of(b2, 81, "b", started);
        assertTrue(b1.exec("nc", "-z", "-w", "2", b2.ip(), "80").ok(), "web member connects to b2:80");
        assertFalse(b3.exec("nc", "-z", "-w", "1", b2.ip(), "80").ok(), "non-member cannot");
        var drops = f.api().get("/v1/ports/" + portId(f, "b2") + "/security_drops");
        assertTrue(drops.path("ingress_dropped_packets").asLong() > 0, "b2's drop flow counted the refused SYNs: " + drops);
        f.api().patch("/v1/ports/" + portId(f, "b3"), Map.of("security_groups", List.of("default-" + tenant, web)));
        assertTrue(b3.exec("nc", "-z", "-w", "2", b2.ip(), "80").ok(), "added to web, it connects");

        // two long sessions from b1: one allowed by web-80, one by web-81
        web80a.startFrom(b1, started);
        web81b.startFrom(b1, started);
        f.api().delete("/v1/security_group_rules/" + web80);
        int[] grew = Session.growthInSecondSecond("deleting web-80", web80a, web81b);
        assertEquals(0, grew[0], "the session of the deleted rule is cut within 1 s");
        assertTrue(grew[1] > 5, "the session of web-81 carries on");

        // one rule (tcp 82-83 from web), two members' sessions: b3 leaves web, only its own stops
        String web8283 = f.api().post("/v1/security_group_rules", Map.of("security_group", web, "direction", "ingress",
            "protocol", "tcp", "port_range_min", 82, "port_range_max", 83, "remote_group_id", web)).path("id").asText();
        Session b1On82 = Session.of(b2, 82, "c", started);
        Session b3On83 = Session.of(b2, 83, "d", started);
        b1On82.startFrom(b1, started);
        b3On83.startFrom(b3, started);
        f.api().patch("/v1/ports/" + portId(f, "b3"), Map.of("security_groups", List.of("default-" + tenant)));
        grew = Session.growthInSecondSecond("b3 left web", b3On83, b1On82, web81b);
        assertEquals(0, grew[0], "b3's session is cut within 1 s of b3 leaving the remote group");
        assertTrue(grew[1] > 5, "b1's session by the same rule carries on");
        assertTrue(grew[2] > 5, "and so does b1's session by web-81");
        var ruleDrops = f.api().get("/v1/security_group_rules/" + web8283 + "/drops");
        assertTrue(ruleDrops.path("dropped_packets").asLong() > 0,
            "the rule's drop flow counted b3's cut session: " + ruleDrops);
        var metrics = dev.ferry.tests.ops.MetricsLabTest.scrape(f);
        assertTrue(series(metrics, "ferry_security_group_rule_dropped_packets_total", "group=\"" + web + "\"",
            "rule=\"" + web8283 + "\"") >= ruleDrops.path("dropped_packets").asLong(), "the rule's drops on /metrics");
        assertTrue(series(metrics, "ferry_security_group_port_dropped_packets_total", "direction=\"ingress\"",
            "port=\"" + portId(f, "b2") + "\"") > 0, "b2's refused SYNs on /metrics");
      } finally {
        started.forEach(LabProcess::stop);
      }
    }
  }

  /**
   * A TCP server on one container and the long session a client keeps sending to it: one
   * numbered line ({@code tag} then a counter) every 50 ms.
   */
  private record Session(LabContainer server, int port, String tag, LabProcess listener) {
    static Session of(LabContainer server, int port, String tag, List<LabProcess> started) {
      LabProcess listener = server.listen(port);
      started.add(listener);
      return new Session(server, port, tag, listener);
    }

    /** Starts the client and returns once its lines arrive (the session is established and allowed). */
    void startFrom(LabContainer client, List<LabProcess> started) {
      started.add(client.spawn("sh", "-c", "i=0; while true; do echo " + tag + "$i; i=$((i+1)); sleep 0.05; done | nc "
          + server.ip() + " " + port));
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (lines() <= 5) {
        assertTrue(System.nanoTime() < deadline, "the session to " + server.name() + ":" + port + " carries data");
        Shell.pause(20);
      }
    }

    int lines() {
      return (int) listener.outputLines().stream().filter(l -> l.startsWith(tag)).count();
    }

    /**
     * Lines each session got in the second that follows the first second after a change, which
     * must be in place within that first second: 0 for a cut session, about 20 for a live one.
     */
    static int[] growthInSecondSecond(String change, Session... sessions) {
      long changed = System.nanoTime();
      Shell.pause(1000);
      int[] atOne = java.util.Arrays.stream(sessions).mapToInt(Session::lines).toArray();
      Shell.pause(1000);
      int[] grew = new int[sessions.length];
      StringBuilder out = new StringBuilder("after " + change + ":");
      for (int i = 0; i < sessions.length; i++) {
        grew[i] = sessions[i].lines() - atOne[i];
        out.append(" +").append(grew[i]).append(" lines on :").append(sessions[i].port());
      }
      System.out.println(out + " in the second after the first (" + (System.nanoTime() - changed) / 1_000_000
          + " ms since the write returned)");
      return grew;
    }
  }

  private static String rule(OverlayLab f, String group, String direction, String port, String remote) {
    return f.api().post("/v1/security_group_rules", Map.of("security_group", group, "direction", direction,
        "protocol", "tcp", "port_range_min", Integer.parseInt(port), "port_range_max", Integer.parseInt(port),
        "remote_group_id", remote)).path("id").asText();
  }

  /** The value of the one series of this name with these labels (-1 when there is none). */
  private static double series(Map<String, Double> metrics, String name, String... labels) {
    return metrics.entrySet().stream()
        .filter(e -> e.getKey().startsWith(name + "{") && java.util.Arrays.stream(labels).allMatch(e.getKey()::contains))
        .mapToDouble(Map.Entry::getValue).findFirst().orElse(-1);
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
