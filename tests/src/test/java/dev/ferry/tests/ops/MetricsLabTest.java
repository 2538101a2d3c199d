package dev.ferry.tests.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabContainer;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.lab.LabProcess;
import dev.ferry.tests.lab.PacketCapture;
import dev.ferry.tests.lab.Shell;
import dev.ferry.tests.scenario.OverlayLab;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * /metrics after a scripted scenario on real OVS. Steady state sends nothing to the
 * controller (issue 12): ARP requests a container puts on the wire (counted by a capture on
 * its eth0) are all answered by the switch, and under a steady ping and a TCP stream the
 * packet-in and packet-out counters stay at 0, as do the n_packets of every flow that sends to
 * the controller. Prints the datapath's megaflow count and the throughput of the TCP stream
 * (docs/performance.md).
 */
@ExtendWith(LabExtension.class)
public class MetricsLabTest {
  static final int REQUESTS = 5;
  static final Pattern N_PACKETS = Pattern.compile("n_packets=(\\d+)");

  @Test
  void steadyArpPingAndTcpSendNothingToTheController(Lab lab, @TempDir Path dir) throws Exception {
    try (OverlayLab f = OverlayLab.start(lab, dir)) {
      List<LabHost> hosts = f.addHosts("h1", "h2");
      String tenant = f.api().createTenant("blue");
      String net = f.api().createNetwork(tenant, "blue-net", 100, "10.30.0.0/24");
      LabContainer b1 = f.addContainer(hosts.get(0), net, "b1", "02:00:00:00:30:01", "10.30.0.11/24");
      LabContainer b2 = f.addContainer(hosts.get(1), net, "b2", "02:00:00:00:30:02", "10.30.0.12/24");
      // the writes above returned once the switches held them (OverlayLab waits)
      assertTrue(b1.pingOnce(b2.ip(), 10), "the tunnel path is up");
      Map<String, Double> before = scrape(f);
      long toControllerBefore = toControllerPackets(hosts);

      tcpStream(hosts, b1, b2);
      assertEquals(20, b1.ping(b2.ip(), 20, 10), "steady ping");
      PacketCapture requests = b1.startCapture("arp[6:2] = 1");
      String arping = b1.exec("arping", "-i", "eth0", "-c", Integer.toString(REQUESTS), "-W", "0.2", b2.ip()).out();
      long sent = requests.stop().stream().filter(l -> !l.isBlank()).count();
      assertEquals(REQUESTS, sent, "arping -c sends exactly that many requests");
      Matcher replies = Pattern.compile("(\\d+) packets received").matcher(arping);
      assertTrue(replies.find() && Integer.parseInt(replies.group(1)) == REQUESTS, "every request answered: " + arping);

      Map<String, Double> after = scrape(f);
      assertEquals(0.0, sumDelta(before, after, "ferry_packet_ins_total"), "packet-ins: " + after);
      assertEquals(0.0, delta(before, after, "ferry_packet_outs_sent_total"), "packet-outs");
      assertEquals(0, toControllerPackets(hosts) - toControllerBefore, "n_packets of flows to the controller");
      assertEquals(2.0, after.get("ferry_switches_connected"));
      assertEquals(2.0, after.get("ferry_switch_handshakes_total"));
      assertEquals(0.0, after.get("ferry_switch_disconnects_total"));
      assertEquals((double) f.ferry().engine().counters().reconciles(), after.get("ferry_reconciles_total"));
      assertEquals(after.get("ferry_reconciles_total"), after.get("ferry_reconcile_duration_seconds_count"),
          "every reconcile's duration observed");
      assertTrue(after.get("ferry_flow_mods_sent_total") > 0);
    }
  }

  /** 64 MB b1 -> b2 over TCP; prints its throughput and h1's megaflow count right after. */
  private static void tcpStream(List<LabHost> hosts, LabContainer from, LabContainer to) {
    LabProcess sink = to.spawn("sh", "-c", "nc -l 9000 > /dev/null");
    try {
      Shell.pause(300);
      long start = System.nanoTime();
      assertTrue(from.exec("sh", "-c", "dd if=/dev/zero bs=64k count=1024 2>/dev/null | nc -N -w 5 "
          + to.ip() + " 9000").ok(), "TCP stream");
      double seconds = (System.nanoTime() - start) / 1e9;
      long megaflows = hosts.get(0).exec("ovs-appctl", "-t", hosts.get(0).runDir().resolve("vswitchd.ctl").toString(),
          "dpctl/dump-flows").out().lines().filter(l -> !l.isBlank()).count();
      System.out.printf("TCP stream 64 MB in %.2f s (%.0f Mbit/s); h1 megaflows after it: %d%n",
          seconds, 64 * 8.388608 / seconds, megaflows);
    } finally {
      sink.stop();
    }
  }

  /** Sum of n_packets over the flows of these hosts that output to the controller. */
  private static long toControllerPackets(List<LabHost> hosts) {
    return hosts.stream().flatMap(h -> h.dumpFlows().stream())
        .filter(l -> l.contains("CONTROLLER"))
        .mapToLong(l -> {
          Matcher m = N_PACKETS.matcher(l);
          return m.find() ? Long.parseLong(m.group(1)) : 0;
        }).sum();
  }

  private static double sumDelta(Map<String, Double> before, Map<String, Double> after, String prefix) {
    double sum = 0;
    for (var e : after.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        sum += e.getValue() - before.getOrDefault(e.getKey(), 0.0);
      }
    }
    return sum;
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String key) {
    return after.getOrDefault(key, 0.0) - before.getOrDefault(key, 0.0);
  }

  /** /metrics as series name with labels -> value (also for other lab tests). */
  public static Map<String, Double> scrape(OverlayLab f) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + f.ferry().restPort() + "/metrics"))
        .header("Authorization", "Bearer " + OverlayLab.ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    Map<String, Double> out = new TreeMap<>();
    for (String line : r.body().split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int space = line.lastIndexOf(' ');
        out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
    }
    return out;
  }
}
