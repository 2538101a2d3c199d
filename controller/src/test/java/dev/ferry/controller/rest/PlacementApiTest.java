package dev.ferry.controller.rest;

import static dev.ferry.controller.testing.Api.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.controller.testing.Api;
import dev.ferry.controller.testing.FerryTestBase;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tenants never name infrastructure: a port's host and interface are set by the admin or by
 * a host's own credential (for its own host only), and no one binds a port to the bridge,
 * the tunnel port, the uplink or a name Linux would refuse.
 */
class PlacementApiTest extends FerryTestBase {

  private String net;
  private Api tenant;

  @BeforeEach
  void setUp() {
    createTenant("acme");
    createHost("h1", "0000000000000001", "192.0.2.1");
    createHost("h2", "0000000000000002", "192.0.2.2");
    admin.patch("/v1/hosts/h1", obj("uplink", obj("interface", "eth1", "address", "203.0.113.2/24",
        "next_hop", "203.0.113.1")));
    net = createNetwork("acme", "10.0.0.0/24");
    tenant = admin.withToken(created(admin.post("/v1/tenants/acme/tokens", obj())).text("token"));
  }

  private Api hostCredential(String host) {
    Api.Response r = created(admin.post("/v1/hosts/" + host + "/tokens", obj()));
    assertEquals(host, r.text("host"));
    return admin.withToken(r.text("token"));
  }

  @Test
  void aTenantTokenNeverSetsPlacement() {
    assertRejected(403, "forbidden", "host", () -> tenant.post("/v1/ports", obj("network", net, "host", "h1")));
    assertRejected(403, "forbidden", "interface", () -> tenant.post("/v1/ports", obj("network", net, "interface", "veth1")));
    // An unknown host reads exactly like a known one: no enumeration of host names.
    assertRejected(403, "forbidden", "host", () -> tenant.post("/v1/ports", obj("network", net, "host", "nope")));
    String bound = created(createPort(net, "host", "h1", "interface", "veth1")).text("id");
    assertRejected(403, "forbidden", "host", () -> tenant.patch("/v1/ports/" + bound, obj("host", "h2")));
    assertRejected(403, "forbidden", "interface", () -> tenant.patch("/v1/ports/" + bound, obj("interface", "veth2")));
    Api.Response put = tenant.put("/v1/ports/" + bound, obj("name", "renamed"));
    assertEquals(200, put.status(), put::toString);
    assertEquals("h1", put.text("host"), "a tenant's PUT without placement keeps it");
    assertEquals("veth1", put.text("interface"));
    Api.Response own = tenant.patch("/v1/ports/" + bound, obj("port_security", false));
    assertEquals(200, own.status(), "the tenant still changes its port's own fields: " + own);
    created(tenant.post("/v1/ports", obj("network", net)));
  }

  /** The attack: ports bound to vxlan0, the uplink or br-int, for everyone. */
  @Test
  void noOneBindsAPortToInfrastructureOrAnInvalidName() {
    Api h1 = hostCredential("h1");
    for (Api caller : List.of(admin, h1)) {
      for (String bad : List.of("vxlan0", "br-int", "eth1", "a/b", "eth0:1", "a b", "tab\tx", ".", "..",
          "sixteen-bytes-xx", "", "nul\u0000x", "\u202ebidi")) {
        assertRejected(422, "invalid_value", "interface", () -> caller.post("/v1/ports",
            obj("network", net, "host", "h1", "interface", bad)));
      }
    }
    created(createPort(net, "host", "h2", "interface", "eth1"));
    created(createPort(net, "host", "h1", "interface", "fifteen-bytes-x"));
  }

  @Test
  void aHostCredentialBindsPortsToItsOwnHostOnly() {
    Api h1 = hostCredential("h1");
    Api.Response mine = created(h1.post("/v1/ports", obj("network", net, "name", "c1", "host", "h1", "interface", "veth1")));
    assertEquals("acme", mine.text("tenant"));
    assertRejected(403, "forbidden", "host", () -> h1.post("/v1/ports", obj("network", net, "host", "h2", "interface", "veth1")));
    assertRejected(403, "forbidden", "host", () -> h1.post("/v1/ports", obj("network", net)));
    String theirs = created(createPort(net, "host", "h2", "interface", "veth1")).text("id");
    assertRejected(404, "not_found", null, () -> h1.patch("/v1/ports/" + theirs, obj("host", "h1")));
    assertRejected(404, "not_found", null, () -> h1.get("/v1/ports/" + theirs));
    assertEquals(204, h1.delete("/v1/ports/" + theirs).status());
    assertEquals(200, admin.get("/v1/ports/" + theirs).status(), "h1 cannot delete h2's port");
    assertEquals(1, h1.get("/v1/ports").body().size(), "h1 lists its own ports (and unbound ones) only");
    String unbound = created(createPort(net)).text("id");
    assertEquals(2, h1.get("/v1/ports").body().size(), "an unbound port is visible to claim");
    Api.Response bind = h1.patch("/v1/ports/" + unbound, obj("host", "h1", "interface", "veth2"));
    assertEquals(200, bind.status(), "a host claims an unbound port: " + bind);

    assertEquals(200, h1.get("/v1/networks").status());
    assertEquals(200, h1.get("/v1/networks/" + net).status());
    assertEquals(200, h1.get("/v1/ports?network=" + net).status());
    for (Api.Response r : List.of(h1.get("/v1/hosts"), h1.get("/v1/tenants"), h1.get("/v1/floating_ips"),
        h1.post("/v1/networks", obj("tenant", "acme", "cidr", "10.9.0.0/24")), h1.get("/v1/switches"),
        h1.post("/v1/hosts/h1/tokens", obj()), h1.get("/v1/external_pools"))) {
      assertEquals(403, r.status(), () -> "a host credential went beyond ports: " + r);
    }
    assertEquals(403, tenant.post("/v1/hosts/h1/tokens", obj()).status(), "only the admin issues credentials");
    assertEquals(204, h1.delete("/v1/ports/" + mine.text("id")).status());
    assertEquals(204, h1.delete("/v1/ports/" + unbound).status());
  }

  @Test
  void aHostCredentialDiesWithItsHostAndSurvivesARestart() {
    Api h2 = hostCredential("h2");
    ferry.stop();
    ferry = new dev.ferry.controller.Ferry(dev.ferry.controller.FerryConfig.forTest(dataDir, ADMIN_TOKEN)).start();
    Api restarted = new Api("http://127.0.0.1:" + ferry.restPort(), null);
    Api h2again = restarted.withToken(h2.token());
    assertEquals(200, h2again.get("/v1/networks").status(), "credentials are durable");
    assertEquals(204, restarted.withToken(ADMIN_TOKEN).delete("/v1/hosts/h2").status());
    assertEquals(401, h2again.get("/v1/networks").status(), "a deleted host's credential is void");
  }
}
