package dev.ferry.tests.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabContainer;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.lab.PacketCapture;
import dev.ferry.tests.scenario.OverlayLab;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * /metrics after a scripted scenario on real OVS: the ARP packet-ins Ferry counts (by kind and
 * by tenant) and the packet-outs it answered with equal the ARP requests the container put on
 * the wire, counted by a capture on the container's eth0.
 */
@ExtendWith(LabExtension.class)
class MetricsLabTest {
  static final int REQUESTS = 5;

  @Test
  void arpPacketInsAndPacketOutsMatchTheRequestsSent(Lab lab, @TempDir Path dir) throws Exception {
    try (OverlayLab f = OverlayLab.start(lab, dir)) {
      List<LabHost> hosts = f.addHosts("h1", "h2");
      String tenant = f.api().createTenant("blue");
      String net = f.api().createNetwork(tenant, "blue-net", 100, "10.30.0.0/24");
      LabContainer b1 = f.addContainer(hosts.get(0), net, "b1", "02:00:00:00:30:01", "10.30.0.11/24");
      LabContainer b2 = f.addContainer(hosts.get(1), net, "b2", "02:00:00:00:30:02", "10.30.0.12/24");
      // the writes above returned once the switches held them (OverlayLab waits)
      Map<String, Double> before = scrape(f);

      PacketCapture requests = b1.startCapture("arp[6:2] = 1");
      b1.exec("arping", "-i", "eth0", "-c", Integer.toString(REQUESTS), "-W", "0.2", b2.ip());
      long sent = requests.stop().stream().filter(l -> !l.isBlank()).count();
      assertEquals(REQUESTS, sent, "arping -c sends exactly that many requests");

      Map<String, Double> after = awaitValue(f, "ferry_packet_ins_total{kind=\"arp\"}",
          before.getOrDefault("ferry_packet_ins_total{kind=\"arp\"}", 0.0) + sent);
      assertEquals((double) sent, delta(before, after, "ferry_packet_ins_total{kind=\"arp\"}"), "ARP packet-ins");
      assertEquals((double) sent, delta(before, after, "ferry_packet_ins_by_tenant_total{tenant=\"" + tenant + "\"}"),
          "packet-ins of the tenant");
      assertEquals((double) sent, delta(before, after, "ferry_packet_outs_sent_total"), "each request answered once");
      assertEquals(0.0, delta(before, after, "ferry_packet_ins_total{kind=\"dhcp\"}"));
      assertEquals(2.0, after.get("ferry_switches_connected"));
      assertEquals(2.0, after.get("ferry_switch_handshakes_total"));
      assertEquals(0.0, after.get("ferry_switch_disconnects_total"));
      assertEquals((double) f.ferry().engine().counters().reconciles(), after.get("ferry_reconciles_total"));
      assertEquals(after.get("ferry_reconciles_total"), after.get("ferry_reconcile_duration_seconds_count"),
          "every reconcile's duration observed");
      assertTrue(after.get("ferry_flow_mods_sent_total") > 0);
    }
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String key) {
    return after.getOrDefault(key, 0.0) - before.getOrDefault(key, 0.0);
  }

  /** Packet-ins are counted on the switch's event loop: give the last one a moment. */
  private static Map<String, Double> awaitValue(OverlayLab f, String key, double value) throws Exception {
    long deadline = System.nanoTime() + 5_000_000_000L;
    Map<String, Double> m = scrape(f);
    while (m.getOrDefault(key, 0.0) < value && System.nanoTime() < deadline) {
      Thread.sleep(50);
      m = scrape(f);
    }
    return m;
  }

  static Map<String, Double> scrape(OverlayLab f) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + f.ferry().restPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
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
