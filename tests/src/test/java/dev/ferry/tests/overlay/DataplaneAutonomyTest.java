package dev.ferry.tests.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.tests.lab.ContainerSpec;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabContainer;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.lab.LabProcess;
import dev.ferry.tests.scenario.FerryApi;
import dev.ferry.tests.scenario.FerryProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The switches work on their own while Ferry is down (issue 12): ARP and pings to the gateway
 * are answered by the datapath. The scenario is a 150 s outage, longer than a
 * container's ARP entry stays fresh; here the containers' ARP timers are made short
 * (base_reachable_time_ms=1000, delay_first_probe_time=1 in their namespaces), so their
 * entries go stale and are re-probed every few seconds and a ~15 s outage proves the same.
 */
@ExtendWith(LabExtension.class)
class DataplaneAutonomyTest {
  private static final String TOKEN = "autonomy-test-token";
  private static final Pattern PING_SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
  private static final Pattern N_PACKETS = Pattern.compile("n_packets=(\\d+)");

  @Test
  void withFerryKilledPingLosesNothingAndArpAndGatewayPingsAreStillAnswered(Lab lab, @TempDir Path dir)
      throws Exception {
    try (FerryProcess ferry = FerryProcess.start(lab.controllerIp(), Lab.CONTROLLER_PORT, dir, TOKEN)) {
      FerryApi api = new FerryApi(ferry.restUrl(), TOKEN);
      List<LabHost> hosts = lab.addHosts("h1", "h2");
      for (LabHost h : hosts) {
        api.createHost(h.name(), h.datapathIdHex(), h.tunnelIp());
      }
      String blue = api.createTenant("blue");
      String blueNet = network(api, blue, "blue-net", 100, "172.17.42");
      String blueOther = network(api, blue, "blue-other", 101, "172.17.43");
      String greenNet = network(api, api.createTenant("green"), "green-net", 200, "172.17.42");
      LabContainer b1 = container(api, hosts.get(0), blueNet, "b1", "02:00:00:00:00:02", "172.17.42.2");
      LabContainer b2 = container(api, hosts.get(1), blueNet, "b2", "02:00:00:00:00:10", "172.17.42.10");
      container(api, hosts.get(1), blueOther, "bo", "02:00:00:00:01:05", "172.17.43.5");
      container(api, hosts.get(1), greenNet, "g1", "02:00:00:00:02:20", "172.17.42.20");
      ControllerRestartTest.awaitReconciled(api, hosts);
      for (LabContainer c : List.of(b1, b2)) {
        shortArpTimers(c);
      }
      assertEquals(2, b1.ping(b2.ip(), 2, 10), "no connectivity before the outage");

      long arpAnswersBefore = arpAnswers(hosts.get(0), b2.ip());
      LabProcess ping = b1.spawn("ping", "-n", "-i", "0.2", "-c", "75", "-W", "1", b2.ip());
      ferry.kill9();
      ping.waitFor(30_000);
      String summary = String.join("\n", ping.outputLines());
      Matcher m = PING_SUMMARY.matcher(summary);
      assertTrue(m.find(), "no ping summary: " + summary);
      assertEquals("75", m.group(2), "packets lost with Ferry down: " + summary);
      assertTrue(arpAnswers(hosts.get(0), b2.ip()) - arpAnswersBefore >= 2,
          "b1's entry for b2 went stale and was refreshed by the datapath's ARP answer");

      for (LabContainer c : List.of(b1, b2)) {
        c.exec("ip", "neigh", "flush", "all");
      }
      assertEquals(3, b1.ping(b2.ip(), 3, 10), "b1 -> b2 after flushing ARP, Ferry down");
      assertEquals(3, b2.ping(b1.ip(), 3, 10), "b2 -> b1 after flushing ARP, Ferry down");
      assertEquals(3, b1.ping("172.17.42.1", 3, 10), "b1 pings its gateway, Ferry down");
      assertEquals(3, b2.ping("172.17.42.1", 3, 10), "b2 pings its gateway, Ferry down");
      assertTrue(b1.exec("ip", "neigh", "show", "172.17.42.1").out().contains("02:fe:00:00:00:64"),
          "the gateway answers with the virtual router MAC");

      assertEquals(0, b1.arping("172.17.42.20", 2), "another tenant's address (same IP space): no answer");
      assertEquals(0, b1.arping("172.17.43.5", 2), "another network's address: no answer");
      assertEquals(0, b1.arping("172.17.42.99", 2), "nobody's address: no answer");
    }
  }

  /** Short ARP timers: entries go STALE after 0.5-1.5 s and are probed 1 s after next use. */
  static void shortArpTimers(LabContainer c) {
    assertTrue(c.exec("sysctl", "-w", "net.ipv4.neigh.eth0.base_reachable_time_ms=1000",
        "net.ipv4.neigh.eth0.delay_first_probe_time=1").ok(), "sysctl in " + c.name());
  }

  /** n_packets of h's datapath ARP answer for ip (services table, table 20). */
  static long arpAnswers(LabHost h, String ip) {
    Pattern answer = Pattern.compile("table=20,.*arp_tpa=" + Pattern.quote(ip) + "[, ].*actions=move:");
    return h.dumpFlows().stream()
        .filter(l -> answer.matcher(l).find())
        .mapToLong(l -> {
          Matcher m = N_PACKETS.matcher(l);
          return m.find() ? Long.parseLong(m.group(1)) : 0;
        }).sum();
  }

  static String network(FerryApi api, String tenant, String name, int vni, String prefix) {
    return api.post("/v1/networks", Map.of("tenant", tenant, "name", name, "vni", vni,
        "cidr", prefix + ".0/24", "gateway_ip", prefix + ".1")).path("id").asText();
  }

  static LabContainer container(FerryApi api, LabHost h, String net, String name, String mac, String ip) {
    LabContainer c = h.addContainer(ContainerSpec.of(name, mac, ip + "/24"));
    api.createPort(net, name, mac, c.ip(), h.name(), c.ovsPort());
    return c;
  }
}
