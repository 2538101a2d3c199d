package dev.ferry.controller.rest;

import static dev.ferry.controller.testing.Api.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.controller.testing.Api;
import dev.ferry.controller.testing.FerryTestBase;
import org.junit.jupiter.api.Test;

class TenantApiTest extends FerryTestBase {

  @Test
  void fullCycle() {
    Api.Response c = created(admin.post("/v1/tenants", obj("id", "acme", "name", "Acme")));
    assertEquals("/v1/tenants/acme", c.header("Location"));
    assertEquals("\"1\"", c.header("ETag"));
    assertEquals(1, c.body().get("revision").asLong());

    Api.Response generated = created(admin.post("/v1/tenants", obj("name", "Globex")));
    assertTrue(generated.text("id").length() > 8, "id generated when not given");

    assertEquals(2, admin.get("/v1/tenants").body().size());
    assertEquals("Acme", admin.get("/v1/tenants/acme").text("name"));

    Api.Response put = admin.put("/v1/tenants/acme", obj("name", "Acme Corp"), "\"1\"");
    assertEquals(200, put.status(), put::toString);
    assertEquals(2, put.body().get("revision").asLong());
    Api.Response patch = admin.patch("/v1/tenants/acme", obj("name", "ACME"));
    assertEquals(3, patch.body().get("revision").asLong());
    assertEquals("ACME", admin.get("/v1/tenants/acme").text("name"));

    assertEquals(204, admin.delete("/v1/tenants/acme").status());
    assertEquals(404, admin.get("/v1/tenants/acme").status());
    assertEquals(404, admin.delete("/v1/tenants/acme").status(), "a DELETE of nothing is a 404, as in Neutron");
    assertEquals(1, admin.get("/v1/tenants").body().size());
  }

  @Test
  void rejectsBadRequestsWithoutChangingAnything() {
    createTenant("acme");
    assertRejected(422, "invalid_value", "name", () -> admin.post("/v1/tenants", obj("id", "x")));
    assertRejected(400, "unknown_field", "nmae", () -> admin.post("/v1/tenants", obj("nmae", "x")));
    assertRejected(400, "wrong_type", "name", () -> admin.post("/v1/tenants", obj("name", 7)));
    assertRejected(400, "malformed_json", null, () -> admin.raw("POST", "/v1/tenants", "{\"name\": "));
    assertRejected(400, "malformed_json", null, () -> admin.raw("POST", "/v1/tenants", "[1]"));
    assertRejected(400, "malformed_json", null, () -> admin.raw("POST", "/v1/tenants", ""));
    assertRejected(409, "id_taken", "id", () -> admin.post("/v1/tenants", obj("id", "acme", "name", "Other")));
    assertRejected(409, "name_taken", "name", () -> admin.post("/v1/tenants", obj("name", "acme Inc")));
    assertRejected(422, "invalid_value", "id", () -> admin.post("/v1/tenants", obj("id", "bad id!", "name", "x")));
    assertRejected(412, "stale_revision", "revision", () -> admin.put("/v1/tenants/acme", obj("name", "n"), "\"9\""));
    assertRejected(412, "stale_revision", "revision", () -> admin.delete("/v1/tenants/acme", "9"));
    assertRejected(400, "bad_header", "If-Match", () -> admin.put("/v1/tenants/acme", obj("name", "n"), "abc"));
    assertRejected(422, "invalid_value", "id", () -> admin.put("/v1/tenants/acme", obj("id", "other", "name", "n")));
    assertRejected(404, "not_found", null, () -> admin.put("/v1/tenants/nope", obj("name", "n")));
    assertRejected(404, "not_found", null, () -> admin.post("/v1/tenants/nope/tokens", obj()));
    createNetwork("acme", "10.0.0.0/24");
    assertRejected(409, "in_use", null, () -> admin.delete("/v1/tenants/acme"));
  }

  @Test
  void authentication() {
    createTenant("acme");
    Api anonymous = admin.withToken(null);
    assertEquals(200, anonymous.get("/v1/health").status());
    assertRejected(401, "unauthorized", null, () -> anonymous.get("/v1/tenants"));
    assertEquals("Bearer", anonymous.get("/v1/networks").header("WWW-Authenticate"));
    assertRejected(401, "unauthorized", null, () -> admin.withToken("wrong").post("/v1/tenants", obj("name", "x")));

    Api.Response token = created(admin.post("/v1/tenants/acme/tokens", obj()));
    Api tenant = admin.withToken(token.text("token"));
    assertEquals(200, tenant.get("/v1/networks").status());
    assertRejected(403, "forbidden", null, () -> tenant.get("/v1/tenants"));
    assertRejected(403, "forbidden", null, () -> tenant.get("/v1/tenants/acme"));
    assertRejected(403, "forbidden", null, () -> tenant.post("/v1/tenants", obj("name", "mine")));
    assertRejected(403, "forbidden", null, () -> tenant.post("/v1/tenants/acme/tokens", obj()));

    assertEquals(204, admin.delete("/v1/tenants/acme").status());
    assertEquals(401, tenant.get("/v1/networks").status(), "a deleted tenant's tokens die with it");
  }

  @Test
  void unknownRoutesAnswerJson() {
    Api.Response r = admin.get("/v1/nothing-here");
    assertEquals(404, r.status());
    assertEquals("not_found", r.text("error"));
  }
}
