package dev.ferry.controller.rest;

import static dev.ferry.controller.testing.Api.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.controller.testing.Api;
import dev.ferry.controller.testing.FerryTestBase;
import org.junit.jupiter.api.Test;

/**
 * The switch views are the operator's: authenticated like every /v1 route, admin only, and a
 * switch that is not connected is a JSON 404 naming the datapath id. (What they show of real
 * switches is checked against real OVS in the tests module.)
 */
class SwitchRoutesAuthTest extends FerryTestBase {

  @Test
  void switchViewsAreForTheAdminOnly() {
    assertEquals(200, admin.get("/v1/switches").status());
    assertEquals(0, admin.get("/v1/switches").body().size(), "no switch has connected");
    assertEquals(401, admin.withToken(null).get("/v1/switches").status());
    createTenant("t");
    String tenantToken = admin.post("/v1/tenants/t/tokens", obj()).text("token");
    Api tenant = admin.withToken(tenantToken);
    assertEquals(403, tenant.get("/v1/switches").status());
    assertEquals(403, tenant.get("/v1/switches/0000000000000001/flows").status());
  }

  @Test
  void anUnknownOrMalformedDatapathIdIsAClearError() {
    Api.Response missing = admin.get("/v1/switches/00:00:00:00:00:00:00:2a");
    assertEquals(404, missing.status());
    assertEquals("dpid", missing.text("field"));
    Api.Response bad = admin.get("/v1/switches/not-a-dpid/flows");
    assertEquals(422, bad.status(), () -> bad.toString());
    assertEquals("dpid", bad.text("field"));
  }
}
