package dev.ferry.controller.rest;

import static dev.ferry.controller.testing.Api.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.controller.testing.Api;
import dev.ferry.controller.testing.FerryTestBase;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tenant A's token can neither see nor change tenant B's objects, through any route or filter. */
class TenantIsolationTest extends FerryTestBase {

  private Api a;
  private String aNet;
  private String bNet;
  private String bPort;
  private String bFip;

  @BeforeEach
  void twoTenants() {
    createTenant("a");
    createTenant("b");
    createHost("h1", "0000000000000001", "192.0.2.1");
    createPool("public", "203.0.113.0/24", "203.0.113.2", "203.0.113.250");
    a = admin.withToken(created(admin.post("/v1/tenants/a/tokens", obj())).text("token"));
    aNet = created(a.post("/v1/networks", obj("name", "a-net", "cidr", "10.0.0.0/24"))).text("id");
    created(createPort(aNet, "host", "h1", "interface", "a1"));
    bNet = createNetwork("b", "10.0.0.0/24");
    bPort = created(createPort(bNet, "host", "h1", "interface", "b1")).text("id");
    bFip = created(admin.post("/v1/floating_ips", obj("ip", "203.0.113.5", "port", bPort))).text("id");
  }

  @Test
  void tenantOwnsWhatItCreates() {
    assertEquals("a", a.get("/v1/networks/" + aNet).text("tenant"));
    Api.Response fip = created(a.post("/v1/floating_ips", obj("ip", "203.0.113.6")));
    assertEquals("a", fip.text("tenant"));
  }

  @Test
  void listsAndFiltersShowOnlyOwnObjects() {
    assertOnlyTenantA(a.get("/v1/networks"), 1);
    assertOnlyTenantA(a.get("/v1/networks?tenant=b"), 0);
    assertOnlyTenantA(a.get("/v1/ports"), 1);
    assertOnlyTenantA(a.get("/v1/ports?host=h1"), 1);
    assertOnlyTenantA(a.get("/v1/ports?network=" + bNet), 0);
    assertOnlyTenantA(a.get("/v1/ports?tenant=b"), 0);
    assertOnlyTenantA(a.get("/v1/floating_ips"), 0);
    assertOnlyTenantA(a.get("/v1/floating_ips?port=" + bPort), 0);
    assertOnlyTenantA(a.get("/v1/floating_ips?tenant=b"), 0);
    assertOnlyTenantA(a.get("/v1/floating_ips?host=h1"), 0);
  }

  private static void assertOnlyTenantA(Api.Response r, int expected) {
    assertEquals(200, r.status(), r::toString);
    assertEquals(expected, r.body().size(), r::toString);
    for (JsonNode o : r.body()) {
      assertEquals("a", o.get("tenant").asText(), o::toString);
    }
  }

  @Test
  void othersObjectsReadExactlyLikeMissingOnes() {
    for (String path : List.of("/v1/networks/" + bNet, "/v1/ports/" + bPort, "/v1/floating_ips/" + bFip)) {
      String missing = path.replaceFirst("[^/]+$", "no-such-id");
      Api.Response theirs = assertRejected(404, "not_found", null, () -> a.get(path));
      Api.Response none = a.get(missing);
      assertEquals(none.text("message").replace("no-such-id", "ID"), theirs.text("message").replaceAll("'[^']+'", "'ID'"));
      assertRejected(404, "not_found", null, () -> a.patch(path, obj("name", "mine")));
      assertRejected(404, "not_found", null, () -> a.put(path, obj("name", "mine")));
    }
  }

  @Test
  void cannotChangeOrUseOthersObjects() {
    var before = ferry.store().snapshot();
    assertEquals(204, a.delete("/v1/networks/" + bNet).status(), "reads like an already-deleted network");
    assertEquals(204, a.delete("/v1/ports/" + bPort).status());
    assertEquals(204, a.delete("/v1/floating_ips/" + bFip).status());
    assertEquals(before, ferry.store().snapshot(), "B's objects are untouched");

    Api.Response theirs = assertRejected(422, "unknown_reference", "network", () -> a.post("/v1/ports", obj("network", bNet)));
    Api.Response none = a.post("/v1/ports", obj("network", "zzz"));
    assertEquals(none.text("message").replace("zzz", bNet), theirs.text("message"));
    assertRejected(422, "unknown_reference", "tenant", () -> a.post("/v1/networks", obj("tenant", "b", "cidr", "10.5.0.0/24")));
    assertRejected(422, "unknown_reference", "tenant", () -> a.post("/v1/floating_ips", obj("tenant", "b", "ip", "203.0.113.9")));
    assertRejected(422, "unknown_reference", "port", () -> a.post("/v1/floating_ips", obj("ip", "203.0.113.9", "port", bPort)));
    String aFip = created(a.post("/v1/floating_ips", obj("ip", "203.0.113.7"))).text("id");
    assertRejected(422, "unknown_reference", "port", () -> a.patch("/v1/floating_ips/" + aFip, obj("port", bPort)));
  }

  @Test
  void operatorResourcesAreForbidden() {
    assertRejected(403, "forbidden", null, () -> a.get("/v1/hosts"));
    assertRejected(403, "forbidden", null, () -> a.get("/v1/hosts/h1"));
    assertRejected(403, "forbidden", null, () -> a.post("/v1/hosts", obj("name", "h9", "datapath_id", "0000000000000009", "tunnel_ip", "192.0.2.9")));
    assertRejected(403, "forbidden", null, () -> a.delete("/v1/hosts/h1"));
    assertRejected(403, "forbidden", null, () -> a.get("/v1/tenants"));
    assertRejected(403, "forbidden", null, () -> a.delete("/v1/tenants/b"));
    assertRejected(403, "forbidden", null, () -> a.post("/v1/tenants/b/tokens", obj()));
    assertRejected(403, "forbidden", "vni", () -> a.post("/v1/networks", obj("cidr", "10.7.0.0/24", "vni", 99)));
    assertRejected(403, "forbidden", "gateway_host", () -> a.patch("/v1/networks/" + aNet, obj("gateway_host", "h1")));
    admin.patch("/v1/networks/" + aNet, obj("gateway_host", "h1"));
    Api.Response put = a.put("/v1/networks/" + aNet, obj("name", "renamed", "cidr", "10.0.0.0/24"));
    assertEquals(200, put.status(), put::toString);
    assertEquals("h1", put.text("gateway_host"), "a tenant's PUT keeps the operator's gateway_host");
    assertFalse(a.get("/v1/networks").body().toString().contains("\"b\""));
  }
}
