package dev.ferry.apps.model;

import static dev.ferry.apps.testing.SeedScenario.A1;
import static dev.ferry.apps.testing.SeedScenario.A3;
import static dev.ferry.apps.testing.SeedScenario.B1;
import static dev.ferry.apps.testing.SeedScenario.BINDINGS;
import static dev.ferry.apps.testing.SeedScenario.MODEL;
import static dev.ferry.apps.testing.SeedScenario.NET_A;
import static dev.ferry.apps.testing.SeedScenario.NET_B;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.IPv4Address;

/** The indexed lookups of the packet-in path, on the seed (same IPs in two tenants). */
class ModelLookupTest {

  @Test
  void portByIpStaysWithinItsNetwork() {
    int ip = IPv4Address.of("172.17.42.2").getInt();
    assertEquals(Optional.of(A1), MODEL.portByIp(NET_A.id(), ip));
    assertEquals(Optional.of(B1), MODEL.portByIp(NET_B.id(), ip));
    assertEquals(Optional.empty(), MODEL.portByIp(NET_A.id(), IPv4Address.of("172.17.42.99").getInt()));
    assertEquals(Optional.empty(), MODEL.portByIp("no-such-network", ip));
  }

  @Test
  void macsAndGatewaysAreParsedOncePerSnapshot() {
    int ip = IPv4Address.of("172.17.42.2").getInt();
    assertEquals(Optional.of(org.projectfloodlight.openflow.types.MacAddress.of(A1.mac())),
        MODEL.portMacByIp(NET_A.id(), ip));
    assertEquals(Optional.of(org.projectfloodlight.openflow.types.MacAddress.of(B1.mac())),
        MODEL.portMacByIp(NET_B.id(), ip));
    assertEquals(Optional.empty(), MODEL.portMacByIp(NET_A.id(), IPv4Address.of("172.17.42.99").getInt()));
    assertEquals(Optional.of(IPv4Address.of("172.17.42.1")), MODEL.gatewayAddress(NET_A.id()));
    assertEquals(Optional.empty(), MODEL.gatewayAddress("no-such-network"));
  }

  @Test
  void portOnInterfaceIsPerHost() {
    assertEquals(Optional.of(A1), MODEL.portOnInterface("host1", "veth-a1"));
    assertEquals(Optional.of(A3), MODEL.portOnInterface("host1", "veth-a3"));
    assertEquals(Optional.empty(), MODEL.portOnInterface("host2", "veth-a1"));
  }

  @Test
  void bindingsAnswerBothWays() {
    assertEquals(Optional.of("veth-b1"), BINDINGS.interfaceAt("host1", 3));
    assertEquals(3, BINDINGS.ofPort("host1", "veth-b1").getAsInt());
    assertEquals(Optional.empty(), BINDINGS.interfaceAt("host1", 9));
    assertEquals(Optional.empty(), BINDINGS.interfaceAt("host3", 1));
    assertEquals(BINDINGS, new Bindings(Map.copyOf(BINDINGS.ofPorts())));
  }
}
