package dev.ferry.tests.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.tests.lab.CapturedPacket;
import dev.ferry.tests.lab.ContainerSpec;
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
 * The tenant's distributed router on real OVS: gateway pings, routing between two networks of
 * one tenant on different hosts, isolation from another tenant also through the gateway, and
 * traceroute seeing the gateway as a hop.
 */
@ExtendWith(LabExtension.class)
class RoutingTest {
  static final String GW_MAC_VNI_101 = "02:fe:00:00:00:65";

  record Routed(OverlayLab f, LabContainer a, LabContainer b, LabContainer g) {}

  /** blue: 10.1.0.0/24 (VNI 100, a on h1) and 10.2.0.0/24 (VNI 101, b on h2); green: 10.3.0.0/24 (g on h2). */
  static Routed routed(Lab lab, Path dir) {
    OverlayLab f = OverlayLab.start(lab, dir);
    List<LabHost> hosts = f.addHosts("h1", "h2");
    String blue = f.api().createTenant("blue");
    String green = f.api().createTenant("green");
    String netA = network(f, blue, "a-net", 100, "10.1.0");
    String netB = network(f, blue, "b-net", 101, "10.2.0");
    String netG = network(f, green, "g-net", 200, "10.3.0");
    LabContainer a = container(f, hosts.get(0), netA, "a", "02:00:00:00:01:02", "10.1.0");
    LabContainer b = container(f, hosts.get(1), netB, "b", "02:00:00:00:02:02", "10.2.0");
    LabContainer g = container(f, hosts.get(1), netG, "g", "02:00:00:00:03:02", "10.3.0");
    // the writes above returned once the switches held them (OverlayLab waits)
    return new Routed(f, a, b, g);
  }

  static String network(OverlayLab f, String tenant, String name, int vni, String prefix) {
    return f.api().post("/v1/networks", Map.of("tenant", tenant, "name", name, "vni", vni,
        "cidr", prefix + ".0/24", "gateway_ip", prefix + ".1")).path("id").asText();
  }

  static LabContainer container(OverlayLab f, LabHost host, String net, String name, String mac, String prefix) {
    LabContainer c = host.addContainer(ContainerSpec.of(name, mac, prefix + ".2/24").withGateway(prefix + ".1"));
    f.api().createPort(net, name, mac, c.ip(), host.name(), c.ovsPort());
    return c;
  }

  @Test
  void aContainerPingsItsGatewayAnsweredWithTheVirtualRouterMac(Lab lab, @TempDir Path dir) {
    try (OverlayLab f = routed(lab, dir).f()) {
      LabContainer a = lab.host("h1").container("a");
      assertEquals(3, a.ping("10.1.0.1", 3, 10));
      String neighbour = a.exec("ip", "neigh", "show", "10.1.0.1").out();
      assertTrue(neighbour.contains("02:fe:00:00:00:64"), "gateway MAC is the virtual router's: " + neighbour);
      assertEquals(3, a.ping("10.2.0.1", 3, 10), "another network's gateway of the same tenant");
      assertEquals(0, a.ping("10.3.0.1", 2, 3), "another tenant's gateway");
    }
  }

  @Test
  void twoNetworksOfOneTenantOnTwoHostsPingThroughTheRouter(Lab lab, @TempDir Path dir) {
    try (OverlayLab f = routed(lab, dir).f()) {
      LabContainer a = lab.host("h1").container("a");
      LabContainer b = lab.host("h2").container("b");
      assertTrue(a.pingOnce(b.ip(), 10), "a reaches b through the router");
      PacketCapture atB = b.startCapture("icmp");
      List<CapturedPacket> wire = CapturedPacket.parseAll(lab.captureUnderlay("udp port 4789", () -> {
        String out = a.exec("ping", "-n", "-c", "3", "-i", "0.2", "-w", "10", b.ip()).out();
        assertTrue(out.contains("3 received"), out);
        assertTrue(out.contains("ttl=63"), "one router hop on the way back (routed on h2): " + out);
      }));
      List<String> seenAtB = atB.stop();
      assertTrue(wire.stream().anyMatch(p -> p.isVxlan() && p.vni().getAsInt() == 101
          && p.inner().contains("10.1.0.2 > 10.2.0.2")), "a->b crosses with b's VNI: " + wire);
      assertTrue(wire.stream().anyMatch(p -> p.isVxlan() && p.vni().getAsInt() == 100
          && p.inner().contains("10.2.0.2 > 10.1.0.2")), "b->a crosses with a's VNI: " + wire);
      assertTrue(seenAtB.stream().anyMatch(l -> l.contains(GW_MAC_VNI_101 + " > 02:00:00:00:02:02") && l.contains("ttl 63")
          && l.contains("10.1.0.2 > 10.2.0.2")), "b sees b-net's gateway MAC as source and TTL 63: " + seenAtB);
    }
  }

  @Test
  void anotherTenantsNetworkStaysUnreachableAlsoThroughTheGateway(Lab lab, @TempDir Path dir) {
    try (OverlayLab f = routed(lab, dir).f()) {
      LabContainer a = lab.host("h1").container("a");
      LabContainer g = lab.host("h2").container("g");
      assertTrue(a.pingOnce("10.2.0.2", 10), "routing works at all");
      assertEquals(0, a.ping(g.ip(), 3, 3), "blue reaches green through its gateway");
      assertEquals(0, g.ping(a.ip(), 3, 3), "green reaches blue through its gateway");
    }
  }

  @Test
  void tracerouteShowsTheGatewayHop(Lab lab, @TempDir Path dir) {
    try (OverlayLab f = routed(lab, dir).f()) {
      LabContainer a = lab.host("h1").container("a");
      assertTrue(a.pingOnce("10.2.0.2", 10));
      String out = a.exec("traceroute", "-n", "-q", "1", "-w", "2", "-m", "4", "10.2.0.2").out();
      List<String> hops = out.lines().skip(1).map(String::strip).toList();
      assertTrue(hops.size() >= 2 && hops.get(0).startsWith("1  10.1.0.1 "), "gateway is hop 1: " + out);
      assertTrue(hops.get(1).startsWith("2  10.2.0.2 "), "destination is hop 2: " + out);
    }
  }
}
