package dev.ferry.controller.rest;

import static dev.ferry.controller.testing.Api.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.controller.testing.Api;
import dev.ferry.controller.testing.FerryTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FloatingIpApiTest extends FerryTestBase {

  private String port;
  private String port2;

  @BeforeEach
  void ports() {
    createTenant("acme");
    createTenant("globex");
    createHost("h1", "0000000000000001", "192.0.2.1");
    String net = createNetwork("acme", "10.0.0.0/24");
    port = created(createPort(net, "host", "h1", "interface", "veth1")).text("id");
    port2 = created(createPort(net)).text("id");
  }

  @Test
  void fullCycle() {
    Api.Response c = created(admin.post("/v1/floating_ips", obj("ip", "203.0.113.10", "port", port)));
    String id = c.text("id");
    assertEquals("/v1/floating_ips/" + id, c.header("Location"));
    assertEquals("acme", c.text("tenant"), "tenant follows the port");
    assertEquals("h1", c.text("host"), "lives where its port lives");
    Api.Response spare = created(admin.post("/v1/floating_ips", obj("ip", "203.0.113.11", "tenant", "acme")));
    assertTrue(spare.body().get("port").isNull());
    assertTrue(spare.body().get("host").isNull());

    assertEquals(2, admin.get("/v1/floating_ips").body().size());
    assertEquals(1, admin.get("/v1/floating_ips?port=" + port).body().size());
    assertEquals(1, admin.get("/v1/floating_ips?host=h1").body().size());
    assertEquals(2, admin.get("/v1/floating_ips?tenant=acme").body().size());
    assertEquals(0, admin.get("/v1/floating_ips?tenant=globex").body().size());

    Api.Response unassigned = admin.patch("/v1/floating_ips/" + id, obj("port", null), "1");
    assertEquals(200, unassigned.status(), unassigned::toString);
    assertTrue(unassigned.body().get("port").isNull());
    Api.Response reassigned = admin.put("/v1/floating_ips/" + id, obj("ip", "203.0.113.10", "port", port2), "2");
    assertEquals(200, reassigned.status(), reassigned::toString);
    assertEquals(port2, reassigned.text("port"));
    assertTrue(reassigned.body().get("host").isNull(), "port2 is not placed on a host");

    assertEquals(204, admin.delete("/v1/floating_ips/" + id).status());
    assertEquals(404, admin.get("/v1/floating_ips/" + id).status());
    assertEquals(204, admin.delete("/v1/floating_ips/" + id).status());
  }

  @Test
  void rejectsBadFloatingIpsWithoutChangingAnything() {
    String id = created(admin.post("/v1/floating_ips", obj("ip", "203.0.113.10", "port", port))).text("id");
    assertRejected(409, "ip_taken", "ip", () -> admin.post("/v1/floating_ips", obj("ip", "203.0.113.10", "tenant", "acme")));
    assertRejected(409, "port_taken", "port", () -> admin.post("/v1/floating_ips", obj("ip", "203.0.113.11", "port", port)));
    assertRejected(422, "invalid_value", "ip", () -> admin.post("/v1/floating_ips", obj("ip", "203.0.113", "tenant", "acme")));
    assertRejected(422, "invalid_value", "ip", () -> admin.post("/v1/floating_ips", obj("tenant", "acme")));
    assertRejected(422, "unknown_reference", "port", () -> admin.post("/v1/floating_ips", obj("ip", "203.0.113.12", "port", "nope", "tenant", "acme")));
    assertRejected(422, "unknown_reference", "port", () -> admin.post("/v1/floating_ips", obj("ip", "203.0.113.12", "port", port2, "tenant", "globex")));
    assertRejected(422, "invalid_value", "tenant", () -> admin.post("/v1/floating_ips", obj("ip", "203.0.113.12")));
    assertRejected(422, "unknown_reference", "tenant", () -> admin.post("/v1/floating_ips", obj("ip", "203.0.113.12", "tenant", "nope")));
    assertRejected(400, "wrong_type", "port", () -> admin.post("/v1/floating_ips", obj("ip", "203.0.113.12", "port", 5)));
    assertRejected(422, "invalid_value", "ip", () -> admin.patch("/v1/floating_ips/" + id, obj("ip", "203.0.113.99")));
    assertRejected(422, "invalid_value", "tenant", () -> admin.patch("/v1/floating_ips/" + id, obj("tenant", "globex")));
    assertRejected(412, "stale_revision", "revision", () -> admin.patch("/v1/floating_ips/" + id, obj("port", null), "7"));
    assertRejected(409, "in_use", null, () -> admin.delete("/v1/ports/" + port));
    assertRejected(409, "in_use", null, () -> admin.delete("/v1/tenants/acme"));
  }
}
