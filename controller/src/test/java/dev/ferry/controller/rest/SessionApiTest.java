package dev.ferry.controller.rest;

import static dev.ferry.controller.testing.Api.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.controller.testing.Api;
import dev.ferry.controller.testing.FerryTestBase;
import org.junit.jupiter.api.Test;

/** GET /v1/me and the web view's entry points. */
class SessionApiTest extends FerryTestBase {

  @Test
  void meSaysWhoTheTokenIs() {
    createTenant("a");
    Api a = admin.withToken(created(admin.post("/v1/tenants/a/tokens", obj())).text("token"));
    assertEquals(true, admin.get("/v1/me").body().path("admin").asBoolean());
    Api.Response me = a.get("/v1/me");
    assertEquals(false, me.body().path("admin").asBoolean());
    assertEquals("a", me.text("tenant"));
    assertEquals("a Inc", me.text("tenant_name"));
    assertEquals(401, admin.withToken("nonsense").get("/v1/me").status());
  }

  @Test
  void theWebViewIsServedWithoutAToken() throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    for (String path : new String[] {"/ui/", "/ui/ferry.js", "/ui/ferry.css"}) {
      var r = http.send(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create(admin.base() + path)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), path);
    }
    var root = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(admin.base() + "/")).build(),
        java.net.http.HttpResponse.BodyHandlers.discarding());
    assertEquals(302, root.statusCode());
    assertEquals("/ui/", root.headers().firstValue("Location").orElse(""));
  }
}
