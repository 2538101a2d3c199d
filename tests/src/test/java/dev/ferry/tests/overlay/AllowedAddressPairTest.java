package dev.ferry.tests.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabContainer;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.lab.PacketCapture;
import dev.ferry.tests.scenario.OverlayLab;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Allowed address pairs on real OVS, keepalived-style: a (h1) and b (h2) both have the pair VIP
 * 172.17.42.50; whoever has it configured announces it by gratuitous ARP and answers for it.
 * The client c (h1) reaches the VIP at a, then, after the VIP moved to b, at b. d (h2) has no
 * pair: whatever it sends from the VIP reaches no one. Every write waits for the switches.
 */
@ExtendWith(LabExtension.class)
class AllowedAddressPairTest {
  static final String VIP = "172.17.42.50";

  @Test
  void aVipMovedByGratuitousArpIsReachedAtItsNewHolderAndNoOneElseMaySendFromIt(Lab lab, @TempDir Path dir) {
    try (OverlayLab f = OverlayLab.start(lab, dir)) {
      List<LabHost> hosts = f.addHosts("h1", "h2");
      String tenant = f.api().createTenant("blue");
      String net = f.api().createNetwork(tenant, "blue-net", 100, "172.17.42.0/24");
      LabContainer a = f.addContainer(hosts.get(0), net, "a", "02:00:00:00:00:02", "172.17.42.2/24");
      LabContainer b = f.addContainer(hosts.get(1), net, "b", "02:00:00:00:00:10", "172.17.42.10/24");
      LabContainer c = f.addContainer(hosts.get(0), net, "c", "02:00:00:00:00:03", "172.17.42.3/24");
      LabContainer d = f.addContainer(hosts.get(1), net, "d", "02:00:00:00:00:11", "172.17.42.11/24");
      for (String port : List.of("a", "b")) {
        var answer = f.api().patch("/v1/ports/" + portId(f, port),
            Map.of("allowed_address_pairs", List.of(Map.of("ip_address", VIP))));
        assertEquals(VIP, answer.path("allowed_address_pairs").path(0).path("ip_address").asText(), answer.toString());
      }
      assertEquals(2, c.ping(a.ip(), 2, 5), "the path to a is up");
      assertEquals(2, c.ping(b.ip(), 2, 5), "the path to b (over the tunnel) is up");

      // the VIP at a: configured, announced, reached
      holdVip(a);
      assertEquals(2, c.ping(VIP, 2, 5), "c reaches the VIP at a");
      assertEquals(a.mac(), neighbour(c, VIP), "c learned the VIP at a's MAC (a answered, not the switch)");

      // keepalived fails over: a drops the VIP, b takes it and announces it
      ok(a.exec("ip", "addr", "del", VIP + "/24", "dev", LabContainer.DEVICE));
      holdVip(b);
      assertEquals(b.mac(), neighbour(c, VIP), "b's gratuitous ARP moved the VIP in c's cache");
      PacketCapture atB = b.startCapture("icmp and host " + VIP);
      int replies = c.ping(VIP, 2, 5);
      List<String> seenAtB = atB.stop();
      assertEquals(2, replies, "c reaches the VIP at b");
      // (the capture stops as ping returns: its last lines may be cut, the first are there)
      assertTrue(seenAtB.stream().anyMatch(l -> l.contains("> " + VIP + ": ICMP echo request")),
          "the pings went to b: " + seenAtB);

      // d has no pair: it may neither announce the VIP nor send from it
      ok(d.exec("ip", "addr", "add", VIP + "/32", "dev", LabContainer.DEVICE));
      ok(d.exec("ip", "neigh", "replace", c.ip(), "lladdr", c.mac(), "dev", LabContainer.DEVICE));
      gratuitousArp(d);
      assertEquals(b.mac(), neighbour(c, VIP), "d's gratuitous ARP for the VIP reached no one");
      PacketCapture atC = c.startCapture("icmp and src host " + VIP);
      var fromD = d.exec("ping", "-n", "-q", "-c", "3", "-i", "0.2", "-w", "2", "-I", VIP, c.ip());
      List<String> seenAtC = atC.stop();
      assertTrue(!fromD.ok() && fromD.out().contains(" 0 received"), "d's pings from the VIP got no answer: " + fromD.out());
      assertTrue(seenAtC.stream().noneMatch(l -> l.contains("ICMP")), "nothing d sent from the VIP arrived at c: " + seenAtC);
      assertEquals(2, c.ping(VIP, 2, 5), "the VIP still answers at b");
    }
  }

  /** Configures the VIP on eth0 and announces it, as keepalived does on becoming master. */
  private static void holdVip(LabContainer holder) {
    ok(holder.exec("ip", "addr", "add", VIP + "/24", "dev", LabContainer.DEVICE));
    gratuitousArp(holder);
  }

  /** arping -U: an unsolicited request from and for the VIP, broadcast (no answer expected). */
  private static void gratuitousArp(LabContainer from) {
    from.exec("arping", "-q", "-U", "-S", VIP, "-i", LabContainer.DEVICE, "-c", "2", "-W", "0.1", "-w", "1", VIP);
  }

  /** The MAC the container's neighbour table holds for ip ("" when none). */
  private static String neighbour(LabContainer c, String ip) {
    String out = c.exec("ip", "neigh", "show", ip, "dev", LabContainer.DEVICE).out();
    String[] words = out.trim().split("\\s+");
    for (int i = 0; i + 1 < words.length; i++) {
      if (words[i].equals("lladdr")) {
        return words[i + 1];
      }
    }
    return "";
  }

  private static void ok(dev.ferry.tests.lab.Shell.Result r) {
    assertTrue(r.ok(), r.toString());
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
