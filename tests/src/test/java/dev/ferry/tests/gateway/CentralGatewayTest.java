package dev.ferry.tests.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.tests.lab.CapturedPacket;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabContainer;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.lab.LabOutside;
import dev.ferry.tests.lab.PacketCapture;
import dev.ferry.tests.scenario.OverlayLab;
import dev.ferry.tests.scenario.StoreKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The central gateway design: h2 is the network's gateway host and the only host with an
 * uplink; a container on h1 reaches the outside over the overlay through h2, NATed there.
 */
@ExtendWith(LabExtension.class)
class CentralGatewayTest {

  @ParameterizedTest(name = "{0}")
  @EnumSource(StoreKind.class)
  void northSouthOfANetworkWithAGatewayHostIsOverlaidToItAndNatedThere(StoreKind store, Lab lab, @TempDir Path dir) {
    try (OverlayLab f = OverlayLab.start(lab, dir, store)) {
      List<LabHost> hosts = f.addHosts("h1", "h2");
      LabHost h2 = hosts.get(1);
      LabOutside inet = LabOutside.create(lab, "inet", "203.0.113.1/24");
      inet.connect(h2, "up2");
      f.api().patch("/v1/hosts/h2", Map.of("uplink", Map.of("interface", "up2",
          "address", "203.0.113.12/24", "next_hop", "203.0.113.1")));
      f.api().createPool("public", "203.0.113.0/24", "203.0.113.100", "203.0.113.199");
      String tenant = f.api().createTenant("blue");
      String net = f.api().post("/v1/networks", Map.of("tenant", tenant, "name", "blue-net", "vni", 100,
          "cidr", "10.1.0.0/24", "gateway_ip", "10.1.0.1", "gateway_host", "h2")).path("id").asText();
      LabContainer a = RoutingTest.container(f, hosts.get(0), net, "a", "02:00:00:00:01:02", "10.1.0");
      // the writes above returned once the switches held them (OverlayLab waits)

      assertTrue(a.pingOnce(inet.ip(), 10), "a on h1 (no uplink) reaches the outside via h2");
      PacketCapture outside = inet.startCapture("icmp");
      List<CapturedPacket> wire = CapturedPacket.parseAll(lab.captureUnderlay("udp port 4789",
          () -> assertEquals(3, a.ping(inet.ip(), 3, 10))));
      List<String> seen = outside.stop();
      assertTrue(wire.stream().anyMatch(p -> p.isVxlan() && p.vni().getAsInt() == 100
          && p.inner().contains("10.1.0.2 > 203.0.113.1")), "overlaid to the gateway host: " + wire);
      assertTrue(seen.stream().anyMatch(l -> l.contains("203.0.113.12 > 203.0.113.1: ICMP echo request")),
          "NATed on h2 to its uplink address: " + seen);

      f.api().allowIngressFromAnywhere(tenant);
      f.api().post("/v1/floating_ips", Map.of("tenant", tenant, "ip", "203.0.113.100",
          "port", DhcpTestPorts.id(f, "a")));
      assertTrue(FloatingIpTest.pingsWithin(inet, "203.0.113.100", 10),
          "a's floating IP lives on the gateway host and reaches a on h1");
    }
  }
}
