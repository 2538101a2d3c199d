package dev.ferry.controller.rest;

import static dev.ferry.controller.testing.Api.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.controller.testing.Api;
import dev.ferry.controller.testing.FerryTestBase;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NetworkApiTest extends FerryTestBase {

  @BeforeEach
  void tenants() {
    createTenant("acme");
    createTenant("globex");
  }

  @Test
  void fullCycleWithDefaults() {
    Api.Response c = created(admin.post("/v1/networks", obj("tenant", "acme", "name", "web", "cidr", "10.0.0.0/24")));
    String id = c.text("id");
    assertEquals("/v1/networks/" + id, c.header("Location"));
    JsonNode n = c.body();
    assertEquals(1, n.get("vni").asInt());
    assertEquals("10.0.0.1", n.get("gateway_ip").asText());
    assertEquals(1450, n.get("mtu").asInt());
    assertEquals(true, n.get("dhcp").asBoolean());
    assertEquals(0, n.get("dns_servers").size());
    assertEquals(1, n.get("revision").asLong());

    Api.Response second = created(admin.post("/v1/networks", obj("tenant", "acme", "cidr", "10.1.0.0/16",
        "vni", 5000, "gateway_ip", "10.1.255.254", "dhcp", false, "mtu", 1400, "dns_servers", List.of("9.9.9.9"))));
    assertEquals(5000, second.body().get("vni").asInt());
    assertEquals("10.1.255.254", second.text("gateway_ip"));
    Api.Response sameCidrOtherTenant = created(admin.post("/v1/networks", obj("tenant", "globex", "cidr", "10.0.0.0/24")));
    assertEquals(2, sameCidrOtherTenant.body().get("vni").asInt(), "lowest free vni");

    assertEquals(3, admin.get("/v1/networks").body().size());
    assertEquals(2, admin.get("/v1/networks?tenant=acme").body().size());
    assertEquals(0, admin.get("/v1/networks?tenant=nobody").body().size());
    assertEquals("web", admin.get("/v1/networks/" + id).text("name"));

    Api.Response put = admin.put("/v1/networks/" + id, obj("name", "web2", "cidr", "10.0.0.0/24",
        "mtu", 1400, "dns_servers", List.of("1.1.1.1")), "1");
    assertEquals(200, put.status(), put::toString);
    assertEquals(2, put.body().get("revision").asLong());
    assertEquals(1, put.body().get("vni").asInt(), "PUT without vni keeps it");
    Api.Response patch = admin.patch("/v1/networks/" + id, obj("dhcp", false), "\"2\"");
    assertEquals(200, patch.status(), patch::toString);
    assertEquals(false, patch.body().get("dhcp").asBoolean());
    assertEquals("web2", patch.text("name"));
    assertEquals(1400, patch.body().get("mtu").asInt());

    assertEquals(204, admin.delete("/v1/networks/" + id, "3").status());
    assertEquals(404, admin.get("/v1/networks/" + id).status());
    assertEquals(204, admin.delete("/v1/networks/" + id).status());
  }

  @Test
  void rejectsBadNetworksWithoutChangingAnything() {
    String id = createNetwork("acme", "10.0.0.0/24");
    createHost("h1", "0000000000000001", "192.0.2.1");
    assertRejected(422, "invalid_value", "cidr", () -> post("cidr", "10.0.0.0"));
    assertRejected(422, "invalid_value", "cidr", () -> post("cidr", "10.0.300.0/24"));
    assertRejected(422, "invalid_value", "cidr", () -> post("cidr", "10.2.0.5/24"));
    assertRejected(422, "invalid_value", "cidr", () -> post("cidr", "10.2.0.0/31"));
    assertRejected(422, "invalid_value", "cidr", () -> admin.post("/v1/networks", obj("tenant", "acme")));
    assertRejected(409, "cidr_overlap", "cidr", () -> post("cidr", "10.0.0.128/25"));
    assertRejected(409, "cidr_overlap", "cidr", () -> post("cidr", "10.0.0.0/8"));
    assertRejected(422, "invalid_value", "gateway_ip", () -> post("cidr", "10.2.0.0/24", "gateway_ip", "10.3.0.1"));
    assertRejected(422, "invalid_value", "gateway_ip", () -> post("cidr", "10.2.0.0/24", "gateway_ip", "10.2.0.255"));
    assertRejected(422, "invalid_value", "vni", () -> post("cidr", "10.2.0.0/24", "vni", 16777216));
    assertRejected(422, "invalid_value", "vni", () -> post("cidr", "10.2.0.0/24", "vni", -1));
    assertRejected(409, "vni_taken", "vni", () -> post("cidr", "10.2.0.0/24", "vni", 1));
    assertRejected(422, "invalid_value", "mtu", () -> post("cidr", "10.2.0.0/24", "mtu", 100000));
    assertRejected(422, "invalid_value", "dns_servers[0]", () -> post("cidr", "10.2.0.0/24", "dns_servers", List.of("dns.google")));
    assertRejected(400, "wrong_type", "dns_servers", () -> post("cidr", "10.2.0.0/24", "dns_servers", "8.8.8.8"));
    assertRejected(400, "wrong_type", "mtu", () -> post("cidr", "10.2.0.0/24", "mtu", "1400"));
    assertRejected(400, "wrong_type", "dhcp", () -> post("cidr", "10.2.0.0/24", "dhcp", "yes"));
    assertRejected(400, "unknown_field", "gateway", () -> post("cidr", "10.2.0.0/24", "gateway", "10.2.0.1"));
    assertRejected(422, "unknown_reference", "gateway_host", () -> post("cidr", "10.2.0.0/24", "gateway_host", "h9"));
    assertRejected(422, "unknown_reference", "tenant", () -> admin.post("/v1/networks", obj("tenant", "nope", "cidr", "10.9.0.0/24")));
    assertRejected(422, "invalid_value", "tenant", () -> admin.post("/v1/networks", obj("cidr", "10.9.0.0/24")));
    assertRejected(422, "invalid_value", "cidr", () -> admin.patch("/v1/networks/" + id, obj("cidr", "10.0.1.0/24")));
    assertRejected(422, "invalid_value", "vni", () -> admin.patch("/v1/networks/" + id, obj("vni", 77)));
    assertRejected(422, "invalid_value", "tenant", () -> admin.patch("/v1/networks/" + id, obj("tenant", "globex")));
    assertRejected(412, "stale_revision", "revision", () -> admin.patch("/v1/networks/" + id, obj("mtu", 1400), "5"));
    assertRejected(404, "not_found", null, () -> admin.patch("/v1/networks/nope", obj("mtu", 1400)));
    assertRejected(400, "unknown_parameter", "tenantt", () -> admin.get("/v1/networks?tenantt=acme"));
    created(createPort(id));
    assertRejected(409, "in_use", null, () -> admin.delete("/v1/networks/" + id));
    assertRejected(409, "ip_taken", "gateway_ip", () -> admin.patch("/v1/networks/" + id, obj("gateway_ip", "10.0.0.2")));
    assertEquals(200, admin.patch("/v1/networks/" + id, obj("gateway_host", "h1")).status());
  }

  private Api.Response post(Object... kv) {
    Object[] all = new Object[kv.length + 2];
    all[0] = "tenant";
    all[1] = "acme";
    System.arraycopy(kv, 0, all, 2, kv.length);
    return admin.post("/v1/networks", obj(all));
  }
}
