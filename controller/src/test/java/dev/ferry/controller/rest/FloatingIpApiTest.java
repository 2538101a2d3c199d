package dev.ferry.controller.rest;

import dev.ferry.controller.store.Resource;

import static dev.ferry.controller.testing.Api.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.controller.testing.Api;
import dev.ferry.controller.testing.FerryTestBase;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FloatingIpApiTest extends FerryTestBase {

  private String port;
  private String port2;
  private Api acme;

  @BeforeEach
  void ports() {
    createTenant("acme");
    createTenant("globex");
    createHost("h1", "0000000000000001", "192.0.2.1");
    createPool("public", "203.0.113.0/24", "203.0.113.1", "203.0.113.200");
    String net = createNetwork("acme", "10.0.0.0/24");
    port = created(createPort(net, "host", "h1", "interface", "veth1")).text("id");
    port2 = created(createPort(net)).text("id");
    acme = admin.withToken(created(admin.post("/v1/tenants/acme/tokens", obj())).text("token"));
  }

  @Test
  void fullCycle() {
    Api.Response c = created(admin.post("/v1/floating_ips", obj("ip", "203.0.113.10", "port", port)));
    String id = c.text("id");
    assertEquals("/v1/floating_ips/" + id, c.header("Location"));
    assertEquals("acme", c.text("tenant"), "tenant follows the port");
    assertEquals("h1", c.text("host"), "lives where its port lives");
    assertEquals("public", c.text("pool"), "belongs to the pool holding its address");
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
    assertEquals(404, admin.delete("/v1/floating_ips/" + id).status());
  }

  @Test
  void tenantTakesAFreeAddressFromAPool() {
    Api.Response first = created(acme.post("/v1/floating_ips", obj("pool", "public", "port", port)));
    assertEquals("acme", first.text("tenant"));
    assertEquals("public", first.text("pool"));
    assertEquals("203.0.113.1", first.text("ip"));
    Api.Response second = created(acme.post("/v1/floating_ips", obj("pool", "public")));
    assertEquals("203.0.113.2", second.text("ip"), "the next free address");
    assertEquals(200, acme.get("/v1/external_pools").status(), "tenants may read the pools");
  }

  @Test
  void poolSkipsInfrastructureAddressesAndRunsOut() {
    createPool("tiny", "198.51.100.0/24", "198.51.100.1", "198.51.100.3");
    admin.patch("/v1/hosts/h1", obj("uplink", obj("interface", "up1", "address", "198.51.100.2/24",
        "next_hop", "198.51.100.1")));
    assertEquals("198.51.100.3", created(acme.post("/v1/floating_ips", obj("pool", "tiny"))).text("ip"),
        "neither the next hop (.1) nor h1's uplink address (.2)");
    assertRejected(409, "pool_exhausted", "pool", () -> acme.post("/v1/floating_ips", obj("pool", "tiny")));
  }

  /** The attack: a tenant asking for the uplink, the next hop or other infrastructure. */
  @Test
  void nobodyTakesReservedOrOutOfPoolAddresses() {
    admin.patch("/v1/hosts/h1", obj("uplink", obj("interface", "up1", "address", "203.0.113.2/24",
        "next_hop", "203.0.113.1")));
    createPool("lab", "192.0.2.0/24", "192.0.2.1", "192.0.2.9");
    createNetwork("globex", "192.0.2.0/28");
    for (Api caller : List.of(acme, admin)) {
      for (String ip : List.of("203.0.113.2", "203.0.113.1", "192.0.2.1", "192.0.2.5")) {
        assertRejected(422, "invalid_value", "ip", () -> caller.post("/v1/floating_ips", obj("ip", ip, "tenant", "acme")));
      }
      for (String ip : List.of("0.0.0.0", "255.255.255.255", "203.0.113.0", "203.0.113.255", "203.0.113.201",
          "10.0.0.2", "198.18.0.5", "8.8.8.8")) {
        assertRejected(422, "invalid_value", "ip", () -> caller.post("/v1/floating_ips", obj("ip", ip, "tenant", "acme")));
      }
      assertRejected(422, "invalid_value", "ip", () -> caller.post("/v1/floating_ips",
          obj("ip", "203.0.113.50", "pool", "lab", "tenant", "acme")));
      assertRejected(422, "invalid_value", "pool", () -> caller.post("/v1/floating_ips", obj("tenant", "acme")));
      assertRejected(422, "unknown_reference", "pool", () -> caller.post("/v1/floating_ips",
          obj("pool", "nope", "tenant", "acme")));
    }
    Api.Response r = acme.post("/v1/floating_ips", obj("ip", "203.0.113.2"));
    assertTrue(!r.text("message").contains("h1") && !r.text("message").contains("uplink"),
        "the refusal does not say whose address it is: " + r);
  }

  @Test
  void aHostCannotTakeAFloatingAddressForItsUplinkOrTunnel() {
    created(admin.post("/v1/floating_ips", obj("ip", "203.0.113.20", "tenant", "acme")));
    assertRejected(409, "ip_taken", "uplink.address", () -> admin.patch("/v1/hosts/h1", obj("uplink",
        obj("interface", "up1", "address", "203.0.113.20/24", "next_hop", "203.0.113.1"))));
    assertRejected(409, "ip_taken", "uplink.next_hop", () -> admin.patch("/v1/hosts/h1", obj("uplink",
        obj("interface", "up1", "address", "203.0.113.2/24", "next_hop", "203.0.113.20"))));
    assertRejected(409, "ip_taken", "tunnel_ip", () -> admin.patch("/v1/hosts/h1", obj("tunnel_ip", "203.0.113.20")));
  }

  @Test
  void rejectsBadFloatingIpsWithoutChangingAnything() {
    String id = created(admin.post("/v1/floating_ips", obj("ip", "203.0.113.10", "port", port))).text("id");
    assertRejected(409, "ip_taken", "ip", () -> admin.post("/v1/floating_ips", obj("ip", "203.0.113.10", "tenant", "acme")));
    assertRejected(409, "port_taken", "port", () -> admin.post("/v1/floating_ips", obj("ip", "203.0.113.11", "port", port)));
    assertRejected(422, "invalid_value", "ip", () -> admin.post("/v1/floating_ips", obj("ip", "203.0.113", "tenant", "acme")));
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
    assertEquals(409, admin.delete("/v1/external_pools/public").status(), "a pool in use stays");
    assertEquals(409, admin.patch("/v1/external_pools/public", obj("ranges",
        List.of(obj("start", "203.0.113.100", "end", "203.0.113.110")))).status(), "nor shrinks under a floating ip");
  }

  @Test
  void poolsAreTheOperatorsAndValidated() {
    Api.Response forbidden = acme.post("/v1/external_pools", obj("name", "mine", "cidr", "198.51.100.0/24",
        "ranges", List.of(obj("start", "198.51.100.1", "end", "198.51.100.9"))));
    assertEquals(403, forbidden.status(), forbidden::toString);
    assertEquals(403, acme.delete("/v1/external_pools/public").status());
    assertEquals(403, acme.patch("/v1/external_pools/public", obj("cidr", "203.0.0.0/16")).status());
    assertPoolRejected(409, "name_taken", "name", obj("name", "public", "cidr", "198.51.100.0/24",
        "ranges", List.of(obj("start", "198.51.100.1", "end", "198.51.100.9"))));
    assertPoolRejected(422, "invalid_value", "cidr", obj("name", "p", "cidr", "198.51.100.1/24",
        "ranges", List.of(obj("start", "198.51.100.1", "end", "198.51.100.9"))));
    assertPoolRejected(422, "invalid_value", "ranges", obj("name", "p", "cidr", "198.51.100.0/24", "ranges", List.of()));
    assertPoolRejected(422, "invalid_value", "ranges[0].start", obj("name", "p", "cidr", "198.51.100.0/24",
        "ranges", List.of(obj("start", "198.51.100.0", "end", "198.51.100.9"))));
    assertPoolRejected(422, "invalid_value", "ranges[0].end", obj("name", "p", "cidr", "198.51.100.0/24",
        "ranges", List.of(obj("start", "198.51.100.1", "end", "198.51.101.9"))));
    assertPoolRejected(422, "invalid_value", "ranges[0].end", obj("name", "p", "cidr", "198.51.100.0/24",
        "ranges", List.of(obj("start", "198.51.100.9", "end", "198.51.100.1"))));
    assertPoolRejected(422, "invalid_value", "ranges[1]", obj("name", "p", "cidr", "198.51.100.0/24",
        "ranges", List.of(obj("start", "198.51.100.1", "end", "198.51.100.9"), obj("start", "198.51.100.5", "end", "198.51.100.6"))));
    assertPoolRejected(409, "range_overlap", "ranges[0]", obj("name", "p", "cidr", "203.0.113.0/24",
        "ranges", List.of(obj("start", "203.0.113.150", "end", "203.0.113.220"))));
    assertPoolRejected(400, "unknown_field", "gateway", obj("name", "p", "gateway", "x"));
  }

  private void assertPoolRejected(int status, String code, String field, Object body) {
    var before = ferry.store().list(Resource.POOLS);
    Api.Response r = admin.post("/v1/external_pools", body);
    assertEquals(status, r.status(), r::toString);
    assertEquals(code, r.text("error"), r::toString);
    assertEquals(field, r.text("field"), r::toString);
    assertEquals(before, ferry.store().list(Resource.POOLS));
  }
}
