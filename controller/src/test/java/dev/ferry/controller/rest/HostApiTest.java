package dev.ferry.controller.rest;

import static dev.ferry.controller.testing.Api.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.controller.testing.Api;
import dev.ferry.controller.testing.FerryTestBase;
import org.junit.jupiter.api.Test;

class HostApiTest extends FerryTestBase {

  private static Object uplink(String address, String nextHop) {
    return obj("interface", "eth1", "address", address, "next_hop", nextHop);
  }

  @Test
  void fullCycle() {
    Api.Response c = created(admin.post("/v1/hosts", obj("name", "h1", "datapath_id", "00:00:00:00:00:00:0A:01",
        "tunnel_ip", "192.0.2.1", "uplink", uplink("203.0.113.2/24", "203.0.113.1"))));
    assertEquals("/v1/hosts/h1", c.header("Location"));
    assertEquals("0000000000000a01", c.text("datapath_id"), "16 lower-case hex digits on output");
    assertEquals(false, c.body().get("connected").asBoolean());
    assertEquals("203.0.113.1", c.body().at("/uplink/next_hop").asText());
    created(admin.post("/v1/hosts", obj("name", "h2", "datapath_id", "0000000000000002", "tunnel_ip", "192.0.2.2")));
    assertTrue(admin.get("/v1/hosts/h2").body().get("uplink").isNull());
    assertEquals(2, admin.get("/v1/hosts").body().size());

    Api.Response put = admin.put("/v1/hosts/h2", obj("datapath_id", "0000000000000003", "tunnel_ip", "192.0.2.3"), "1");
    assertEquals(200, put.status(), put::toString);
    assertEquals("0000000000000003", put.text("datapath_id"));
    Api.Response patch = admin.patch("/v1/hosts/h1", obj("uplink", obj("next_hop", "203.0.113.254")));
    assertEquals(200, patch.status(), patch::toString);
    assertEquals("203.0.113.254", patch.body().at("/uplink/next_hop").asText());
    assertEquals("eth1", patch.body().at("/uplink/interface").asText());
    Api.Response noUplink = admin.patch("/v1/hosts/h1", obj("uplink", null));
    assertTrue(noUplink.body().get("uplink").isNull());

    assertEquals(204, admin.delete("/v1/hosts/h2").status());
    assertEquals(404, admin.get("/v1/hosts/h2").status());
    assertEquals(404, admin.delete("/v1/hosts/h2").status(), "a DELETE of nothing is a 404");
  }

  @Test
  void rejectsBadHostsWithoutChangingAnything() {
    createHost("h1", "0000000000000001", "192.0.2.1");
    assertRejected(422, "invalid_value", "datapath_id", () -> host("h2", "12345", "192.0.2.2", null));
    assertRejected(422, "invalid_value", "datapath_id", () -> host("h2", "000000000000000g", "192.0.2.2", null));
    assertRejected(422, "invalid_value", "datapath_id", () -> host("h2", null, "192.0.2.2", null));
    assertRejected(400, "wrong_type", "datapath_id", () -> admin.post("/v1/hosts", obj("name", "h2", "datapath_id", 1, "tunnel_ip", "192.0.2.2")));
    assertRejected(409, "datapath_id_taken", "datapath_id", () -> host("h2", "00:00:00:00:00:00:00:01", "192.0.2.2", null));
    assertRejected(409, "tunnel_ip_taken", "tunnel_ip", () -> host("h2", "0000000000000002", "192.0.2.1", null));
    assertRejected(409, "name_taken", "name", () -> host("h1", "0000000000000002", "192.0.2.2", null));
    assertRejected(422, "invalid_value", "tunnel_ip", () -> host("h2", "0000000000000002", "192.0.2", null));
    assertRejected(422, "invalid_value", "name", () -> host("h 2", "0000000000000002", "192.0.2.2", null));
    assertRejected(422, "invalid_value", "uplink.next_hop", () -> host("h2", "0000000000000002", "192.0.2.2", uplink("203.0.113.2/24", "198.51.100.1")));
    assertRejected(422, "invalid_value", "uplink.address", () -> host("h2", "0000000000000002", "192.0.2.2", uplink("203.0.113.2", "203.0.113.1")));
    assertRejected(400, "unknown_field", "uplink.gateway", () -> host("h2", "0000000000000002", "192.0.2.2", obj("gateway", "x")));
    assertRejected(422, "invalid_value", "name", () -> admin.put("/v1/hosts/h1", obj("name", "h9", "datapath_id", "0000000000000001", "tunnel_ip", "192.0.2.1")));
    assertRejected(412, "stale_revision", "revision", () -> admin.patch("/v1/hosts/h1", obj("tunnel_ip", "192.0.2.9"), "2"));
    String tenant = createTenant("acme");
    String net = createNetwork(tenant, "10.0.0.0/24");
    created(createPort(net, "host", "h1", "interface", "veth1"));
    assertRejected(409, "in_use", null, () -> admin.delete("/v1/hosts/h1"));
  }

  private Api.Response host(String name, String dpid, String tunnel, Object uplink) {
    return admin.post("/v1/hosts", obj("name", name, "datapath_id", dpid, "tunnel_ip", tunnel, "uplink", uplink));
  }
}
