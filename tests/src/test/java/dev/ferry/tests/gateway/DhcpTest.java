package dev.ferry.tests.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.tests.lab.DhcpLease;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabContainer;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
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

/** Ferry's DHCP server against a real client (busybox udhcpc) on real OVS. */
@ExtendWith(LabExtension.class)
class DhcpTest {

  @ParameterizedTest(name = "{0}")
  @EnumSource(StoreKind.class)
  void aContainerWithoutAddressLeasesItsPortsAddressGatewayDnsAndMtu(StoreKind store, Lab lab, @TempDir Path dir) {
    try (OverlayLab f = OverlayLab.start(lab, dir, store)) {
      List<LabHost> hosts = f.addHosts("h1", "h2");
      String tenant = f.api().createTenant("blue");
      String net = f.api().post("/v1/networks", Map.of("tenant", tenant, "name", "blue-net",
          "vni", 100, "cidr", "10.1.0.0/24", "gateway_ip", "10.1.0.1",
          "dns_servers", List.of("10.1.0.53", "9.9.9.9"))).path("id").asText();
      LabContainer peer = f.addContainer(hosts.get(1), net, "peer", "02:00:00:00:01:10", "10.1.0.10/24");
      LabContainer fresh = f.addUnaddressedContainer(hosts.get(0), net, "fresh", "02:00:00:00:01:02");
      String allocated = portIp(f, "fresh");
      f.converge();

      long start = System.nanoTime();
      DhcpLease lease = fresh.dhcp(5).orElseThrow(() -> new AssertionError("no DHCP lease"));
      long leaseMs = (System.nanoTime() - start) / 1_000_000;
      System.out.println("DHCP lease in " + leaseMs + " ms: " + lease);

      assertEquals(new DhcpLease(allocated, 24, "10.1.0.1", List.of("10.1.0.53", "9.9.9.9"), 1450), lease);
      assertEquals(1450, fresh.mtu(), "option 26 applied to eth0");
      assertEquals("10.1.0.1", fresh.defaultGateway().orElse(null));
      // 1422 bytes of ICMP data + 8 ICMP + 20 IP = 1450, the whole MTU, DF set: crosses VXLAN unfragmented.
      assertTrue(fresh.exec("ping", "-n", "-q", "-c", "3", "-i", "0.2", "-W", "1", "-w", "10",
          "-M", "do", "-s", "1422", peer.ip()).ok(), "1450-byte DF ping across hosts");
      assertEquals(3, fresh.ping("10.1.0.1", 3, 10), "the gateway the lease named answers");
    }
  }

  @Test
  void aRequestFromAnUnknownMacGetsNoLease(Lab lab, @TempDir Path dir) {
    try (OverlayLab f = OverlayLab.start(lab, dir)) {
      LabHost h1 = f.addHosts("h1").get(0);
      String tenant = f.api().createTenant("blue");
      String net = f.api().post("/v1/networks", Map.of("tenant", tenant, "name", "blue-net",
          "vni", 100, "cidr", "10.1.0.0/24")).path("id").asText();
      LabContainer known = f.addUnaddressedContainer(h1, net, "known", "02:00:00:00:01:02");
      // A container on a registered interface whose MAC is not the port's.
      LabContainer stranger = f.addUnaddressedContainer(h1, net, "stranger", "02:00:00:00:01:03");
      stranger.setMac("02:00:00:00:01:66");
      f.converge();

      assertTrue(stranger.dhcp(3).isEmpty(), "a MAC Ferry does not know got a lease");
      assertTrue(known.dhcp(5).isPresent(), "the port's own MAC is served on the same host");
    }
  }

  static String portIp(OverlayLab f, String name) {
    for (JsonNode p : f.api().get("/v1/ports")) {
      if (name.equals(p.path("name").asText())) {
        return p.path("ip").asText();
      }
    }
    throw new AssertionError("no port " + name);
  }
}
