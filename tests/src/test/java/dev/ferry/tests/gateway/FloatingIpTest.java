package dev.ferry.tests.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.controller.cli.CtlClient;
import dev.ferry.tests.lab.ContainerSpec;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabContainer;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.lab.LabOutside;
import dev.ferry.tests.lab.LabProcess;
import dev.ferry.tests.lab.PacketCapture;
import dev.ferry.tests.lab.Shell;
import dev.ferry.tests.scenario.FerryApi;
import dev.ferry.tests.scenario.OverlayLab;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * North-south through the hosts' uplinks (distributed NAT): an "outside" namespace, reachable
 * only through each host's uplink port on br-int, plays the internet host and the next hop.
 */
@ExtendWith(LabExtension.class)
class FloatingIpTest {
  static final String FIP = "203.0.113.100";

  record NorthSouth(OverlayLab f, LabOutside inet, LabContainer a, LabContainer c, String portA, String portC) {}

  static NorthSouth northSouth(Lab lab, Path dir) {
    OverlayLab f = OverlayLab.start(lab, dir);
    List<LabHost> hosts = f.addHosts("h1", "h2");
    LabOutside inet = LabOutside.create(lab, "inet", "203.0.113.1/24");
    for (LabHost h : hosts) {
      inet.connect(h, "up" + h.index());
      f.api().patch("/v1/hosts/" + h.name(), Map.of("uplink", Map.of("interface", "up" + h.index(),
          "address", "203.0.113." + (10 + h.index()) + "/24", "next_hop", "203.0.113.1")));
    }
    // The range spans the uplinks and the next hop on purpose: Ferry must still refuse those.
    f.api().createPool("public", "203.0.113.0/24", "203.0.113.1", "203.0.113.254");
    String tenant = f.api().createTenant("blue");
    String net = RoutingTest.network(f, tenant, "blue-net", 100, "10.1.0");
    LabContainer a = RoutingTest.container(f, hosts.get(0), net, "a", "02:00:00:00:01:02", "10.1.0");
    LabContainer c = hosts.get(1).addContainer(
        ContainerSpec.of("c", "02:00:00:00:01:03", "10.1.0.3/24").withGateway("10.1.0.1"));
    f.api().createPort(net, "c", c.mac(), c.ip(), "h2", c.ovsPort());
    f.converge();
    return new NorthSouth(f, inet, a, c, DhcpTestPorts.id(f, "a"), DhcpTestPorts.id(f, "c"));
  }

  @Test
  void theOutsideReachesAContainerByItsFloatingIpAndTheContainerLeavesAsIt(Lab lab, @TempDir Path dir) {
    NorthSouth s = northSouth(lab, dir);
    try (OverlayLab f = s.f()) {
      FerryApi blue = f.api().withToken(f.api().issueTenantToken(tenantOf(f)));
      for (String infrastructure : List.of("203.0.113.11", "203.0.113.12", "203.0.113.1")) {
        CtlClient.ApiFailure refused = blue.refused("POST", "/v1/floating_ips",
            Map.of("ip", infrastructure, "port", s.portA()));
        assertEquals(422, refused.status, "a tenant cannot take uplink/next hop " + infrastructure);
        assertEquals("ip", refused.body.path("field").asText());
      }
      // Nor bind a port to h1's uplink, tunnel port or bridge: a tenant may not place ports at
      // all, and not even the admin may use these interfaces.
      String net = f.api().get("/v1/ports/" + s.portA()).path("network").asText();
      for (String infrastructure : List.of("up1", "vxlan0", "br-int")) {
        Map<String, Object> port = Map.of("network", net, "host", "h1", "interface", infrastructure);
        assertEquals(403, blue.refused("POST", "/v1/ports", port).status, infrastructure);
        CtlClient.ApiFailure refused = f.api().refused("POST", "/v1/ports", port);
        assertEquals(422, refused.status, infrastructure + ": " + refused.body);
        assertEquals("interface", refused.body.path("field").asText());
      }
      f.api().allowIngressFromAnywhere(tenantOf(f));
      String fipId = f.api().post("/v1/floating_ips", Map.of("tenant", tenantOf(f), "ip", FIP,
          "port", s.portA())).path("id").asText();
      long start = System.nanoTime();
      assertTrue(pingsWithin(s.inet(), FIP, 10), "outside pings the floating IP");
      System.out.println("floating IP reachable after " + (System.nanoTime() - start) / 1_000_000 + " ms");
      assertEquals(3, s.inet().ping(FIP, 3, 5));

      assertEquals("hello-from-a", tcpFromOutside(s.inet(), s.a(), "hello-from-a"), "TCP to the floating IP");

      PacketCapture outside = s.inet().startCapture("icmp");
      assertEquals(2, s.a().ping(s.inet().ip(), 2, 5), "the container reaches the outside");
      List<String> seen = outside.stop();
      assertTrue(seen.stream().anyMatch(l -> l.contains(FIP + " > 203.0.113.1: ICMP echo request")),
          "outbound leaves as the floating IP: " + seen);

      f.api().patch("/v1/floating_ips/" + fipId, Map.of("port", s.portC()));
      start = System.nanoTime();
      assertEquals("hello-from-c", tcpFromOutsideWithin(s.inet(), s.c(), "hello-from-c", 10),
          "the floating IP moved to c on h2");
      System.out.println("floating IP moved across hosts in " + (System.nanoTime() - start) / 1_000_000 + " ms");

      f.api().delete("/v1/floating_ips/" + fipId);
      start = System.nanoTime();
      while (s.inet().exec("ping", "-n", "-c", "1", "-W", "0.2", FIP).ok()) {
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "still reachable 1 s after removal");
      }
      System.out.println("floating IP cut after " + (System.nanoTime() - start) / 1_000_000 + " ms");
      Shell.pause(1000);
      assertEquals(0, s.inet().ping(FIP, 3, 3), "removed floating IP stays unreachable");
    }
  }

  @Test
  void twoTenantsWithTheSameAddressesReachTheOutsideAtOnceThroughSnat(Lab lab, @TempDir Path dir) {
    NorthSouth s = northSouth(lab, dir);
    try (OverlayLab f = s.f()) {
      String green = f.api().createTenant("green");
      String greenNet = RoutingTest.network(f, green, "green-net", 200, "10.1.0");
      // Same private address as blue's a, on the same host.
      LabContainer g = RoutingTest.container(f, lab.host("h1"), greenNet, "g", "02:00:00:00:09:02", "10.1.0");
      f.converge();
      assertTrue(s.a().pingOnce(s.inet().ip(), 10), "blue's a reaches the outside through SNAT");
      assertTrue(g.pingOnce(s.inet().ip(), 10), "green's g reaches the outside through SNAT");

      PacketCapture outside = s.inet().startCapture("icmp");
      LabProcess greenPing = g.spawn("ping", "-n", "-c", "10", "-i", "0.2", s.inet().ip());
      int blueReplies = s.a().ping(s.inet().ip(), 10, 10);
      greenPing.waitFor(10_000);
      List<String> seen = outside.stop();
      int greenReplies = greenPing.outputLines().stream().filter(l -> l.contains("bytes from")).toList().size();
      assertEquals(10, blueReplies, "blue gets its own replies while green pings");
      assertEquals(10, greenReplies, "green gets its own replies while blue pings");
      assertTrue(seen.stream().filter(l -> l.contains("echo request")).allMatch(l -> l.contains("203.0.113.11 > 203.0.113.1")),
          "both leave as h1's uplink address: " + seen);
      assertEquals("hello-outside", tcpToOutside(s.inet(), g, "hello-outside"), "TCP from green through SNAT");
    }
  }

  /** The outside serves one line on TCP 9090; the container connects through SNAT and reads it. */
  static String tcpToOutside(LabOutside inet, LabContainer client, String line) {
    LabProcess listener = inet.spawn("sh", "-c", "echo " + line + " | nc -l -N 9090");
    try {
      Shell.pause(300);
      return client.exec("nc", "-w", "3", inet.ip(), "9090").out().strip();
    } finally {
      listener.stop();
    }
  }

  static String tenantOf(OverlayLab f) {
    return f.api().get("/v1/tenants").get(0).path("id").asText();
  }

  static boolean pingsWithin(LabOutside inet, String ip, int seconds) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (inet.exec("ping", "-n", "-c", "1", "-W", "0.5", ip).ok()) {
        return true;
      }
    }
    return false;
  }

  /** The container serves one line on TCP 8080; the outside connects to the floating IP and reads it. */
  static String tcpFromOutside(LabOutside inet, LabContainer server, String line) {
    LabProcess listener = server.spawn("sh", "-c", "echo " + line + " | nc -l -N 8080");
    try {
      Shell.pause(300);
      return inet.exec("nc", "-w", "3", FIP, "8080").out().strip();
    } finally {
      listener.stop();
    }
  }

  static String tcpFromOutsideWithin(LabOutside inet, LabContainer server, String line, int seconds) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    String got = "";
    while (!line.equals(got) && System.nanoTime() < deadline) {
      got = tcpFromOutside(inet, server, line);
    }
    return got;
  }
}
