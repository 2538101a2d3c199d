package dev.ferry.controller.rest;

import static dev.ferry.controller.testing.Api.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.controller.testing.Api;
import dev.ferry.controller.testing.FerryTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PortApiTest extends FerryTestBase {

  private String net;

  @BeforeEach
  void network() {
    createTenant("acme");
    createHost("h1", "0000000000000001", "192.0.2.1");
    createHost("h2", "0000000000000002", "192.0.2.2");
    net = createNetwork("acme", "10.0.0.0/24");
  }

  @Test
  void fullCycle() {
    Api.Response c = created(createPort(net, "name", "web-1", "host", "h1", "interface", "veth1"));
    String id = c.text("id");
    assertEquals("/v1/ports/" + id, c.header("Location"));
    JsonNode p = c.body();
    assertEquals("10.0.0.2", p.get("ip").asText(), "first address after the gateway");
    assertTrue(p.get("mac").asText().matches("fa:16:3e(:[0-9a-f]{2}){3}"), p.toString());
    assertEquals(true, p.get("port_security").asBoolean());
    assertEquals("acme", p.get("tenant").asText());
    assertEquals("unbound", p.at("/status/state").asText());
    assertEquals("veth1", p.get("interface").asText());

    Api.Response fixed = created(createPort(net, "ip", "10.0.0.200", "mac", "02:AA:BB:CC:DD:EE", "port_security", false));
    assertEquals("02:aa:bb:cc:dd:ee", fixed.text("mac"), "MACs are stored lower case");
    assertEquals(false, fixed.body().get("port_security").asBoolean());

    assertEquals(2, admin.get("/v1/ports").body().size());
    assertEquals(2, admin.get("/v1/ports?network=" + net).body().size());
    assertEquals(1, admin.get("/v1/ports?host=h1").body().size());
    assertEquals(0, admin.get("/v1/ports?host=h2").body().size());
    assertEquals(2, admin.get("/v1/ports?tenant=acme&network=" + net).body().size());
    assertEquals(0, admin.get("/v1/ports?tenant=other").body().size());

    Api.Response moved = admin.patch("/v1/ports/" + id, obj("host", "h2", "interface", "veth9"), "1");
    assertEquals(200, moved.status(), moved::toString);
    assertEquals("h2", moved.text("host"));
    assertEquals("10.0.0.2", moved.text("ip"), "PATCH keeps what it does not name");
    Api.Response put = admin.put("/v1/ports/" + id, obj("network", net, "ip", "10.0.0.3"), "2");
    assertEquals(200, put.status(), put::toString);
    assertTrue(put.body().get("host").isNull(), "PUT replaces: no host given, none kept");
    assertEquals(p.get("mac").asText(), put.text("mac"), "the allocated MAC stays when not given");
    assertEquals(3, put.body().get("revision").asLong());

    assertEquals(204, admin.delete("/v1/ports/" + id).status());
    assertEquals(404, admin.get("/v1/ports/" + id).status());
    assertEquals(404, admin.delete("/v1/ports/" + id).status());
    assertEquals(1, admin.get("/v1/ports").body().size());
  }

  @Test
  void rejectsBadPortsWithoutChangingAnything() {
    String first = created(createPort(net, "host", "h1", "interface", "veth1", "ip", "10.0.0.10", "mac", "02:00:00:00:00:01")).text("id");
    assertRejected(422, "invalid_value", "ip", () -> createPort(net, "ip", "10.0.0.0"));
    assertRejected(422, "invalid_value", "ip", () -> createPort(net, "ip", "10.0.0.255"));
    assertRejected(422, "invalid_value", "ip", () -> createPort(net, "ip", "10.0.0.1"));
    assertRejected(422, "invalid_value", "ip", () -> createPort(net, "ip", "10.0.1.5"));
    assertRejected(422, "invalid_value", "ip", () -> createPort(net, "ip", "10.0.0.x"));
    assertRejected(409, "ip_taken", "ip", () -> createPort(net, "ip", "10.0.0.10"));
    assertRejected(409, "mac_taken", "mac", () -> createPort(net, "mac", "02:00:00:00:00:01"));
    assertRejected(422, "invalid_value", "mac", () -> createPort(net, "mac", "02:00:00:00:01"));
    assertRejected(422, "invalid_value", "mac", () -> createPort(net, "mac", "01:00:5e:00:00:01"));
    assertRejected(422, "unknown_reference", "network", () -> createPort("nope"));
    assertRejected(422, "invalid_value", "network", () -> admin.post("/v1/ports", obj("ip", "10.0.0.5")));
    assertRejected(422, "unknown_reference", "host", () -> createPort(net, "host", "h9", "interface", "veth2"));
    assertRejected(409, "interface_taken", "interface", () -> createPort(net, "host", "h1", "interface", "veth1"));
    assertRejected(400, "wrong_type", "port_security", () -> createPort(net, "port_security", "on"));
    assertRejected(400, "unknown_field", "iface", () -> createPort(net, "iface", "veth3"));
    assertRejected(422, "invalid_value", "network", () -> admin.patch("/v1/ports/" + first, obj("network", "other")));
    assertRejected(412, "stale_revision", "revision", () -> admin.patch("/v1/ports/" + first, obj("name", "x"), "\"4\""));
    assertRejected(400, "unknown_parameter", "netw", () -> admin.get("/v1/ports?netw=" + net));
  }

  @Test
  void allocationSkipsNetworkGatewayAndBroadcastUntilFull() {
    String tiny = created(admin.post("/v1/networks", obj("tenant", "acme", "cidr", "10.9.0.0/29", "gateway_ip", "10.9.0.3"))).text("id");
    java.util.Set<String> ips = new java.util.TreeSet<>();
    for (int i = 0; i < 5; i++) {
      ips.add(created(createPort(tiny)).text("ip"));
    }
    assertEquals(java.util.Set.of("10.9.0.1", "10.9.0.2", "10.9.0.4", "10.9.0.5", "10.9.0.6"), ips);
    assertRejected(409, "network_full", "ip", () -> createPort(tiny));
  }
}
