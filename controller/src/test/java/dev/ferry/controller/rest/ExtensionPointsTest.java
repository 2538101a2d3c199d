package dev.ferry.controller.rest;

import static dev.ferry.controller.testing.Api.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.apps.model.Port;
import dev.ferry.controller.Ferry;
import dev.ferry.controller.FerryConfig;
import dev.ferry.controller.PortStatus;
import dev.ferry.controller.RuntimeView;
import dev.ferry.controller.testing.Api;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the switch-wiring teammate plugs in: a RuntimeView and extra route modules. */
class ExtensionPointsTest {

  @TempDir
  Path dir;

  @Test
  void runtimeViewFeedsReadOnlyFieldsAndExtraRoutesAreAuthenticated() {
    RuntimeView switches = new RuntimeView() {
      @Override
      public boolean hostConnected(String host) {
        return host.equals("h1");
      }

      @Override
      public PortStatus portStatus(Port port) {
        return "veth1".equals(port.interfaceName()) ? PortStatus.bound(port.host(), 7) : PortStatus.down("h1");
      }
    };
    RestRoutes switchRoutes = app -> app.get("/v1/switches", ctx -> {
      RestAuth.requireAdmin(ctx);
      ctx.json(List.of(Map.of("host", "h1")));
    });
    try (Ferry ferry = new Ferry(FerryConfig.forTest(dir, "adm"), switches, List.of(switchRoutes)).start()) {
      Api admin = new Api("http://127.0.0.1:" + ferry.restPort(), "adm");
      admin.post("/v1/tenants", obj("id", "t", "name", "T"));
      admin.post("/v1/hosts", obj("name", "h1", "datapath_id", "0000000000000001", "tunnel_ip", "192.0.2.1"));
      String net = admin.post("/v1/networks", obj("tenant", "t", "cidr", "10.0.0.0/24")).text("id");
      Api.Response port = admin.post("/v1/ports", obj("network", net, "host", "h1", "interface", "veth1"));
      assertEquals("bound", port.body().at("/status/state").asText());
      assertEquals(7, port.body().at("/status/of_port").asInt());
      assertEquals(true, admin.get("/v1/hosts/h1").body().get("connected").asBoolean());

      assertEquals(200, admin.get("/v1/switches").status());
      assertEquals(401, admin.withToken(null).get("/v1/switches").status());
      String tenantToken = admin.post("/v1/tenants/t/tokens", obj()).text("token");
      assertEquals(403, admin.withToken(tenantToken).get("/v1/switches").status());
    }
  }
}
