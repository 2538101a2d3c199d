package dev.ferry.controller.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.apps.model.Model;
import dev.ferry.controller.Ferry;
import dev.ferry.controller.FerryConfig;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A real Ferry on an ephemeral loopback port with a temp data dir, and an admin client. */
public abstract class FerryTestBase {

  public static final String ADMIN_TOKEN = "test-admin-token";

  @TempDir
  protected Path dataDir;
  protected Ferry ferry;
  protected Api admin;

  @BeforeEach
  void startFerry() {
    ferry = new Ferry(FerryConfig.forTest(dataDir, ADMIN_TOKEN)).start();
    admin = new Api("http://127.0.0.1:" + ferry.restPort(), ADMIN_TOKEN);
  }

  @AfterEach
  void stopFerry() {
    ferry.stop();
  }

  /**
   * Sends a request that must be refused with this status, error code and field, and checks
   * that the model is exactly as before.
   */
  protected Api.Response assertRejected(int status, String code, String field, Supplier<Api.Response> request) {
    Model before = ferry.store().snapshot();
    Api.Response r = request.get();
    assertEquals(status, r.status(), () -> "status of " + r);
    assertEquals(code, r.text("error"), () -> "error code of " + r);
    assertEquals(field, r.text("field"), () -> "field of " + r);
    assertEquals(false, r.text("message") == null || r.text("message").isBlank(), () -> "message of " + r);
    assertEquals(before, ferry.store().snapshot(), () -> "rejected request changed the model: " + r);
    return r;
  }

  protected Api.Response created(Api.Response r) {
    assertEquals(201, r.status(), () -> "expected 201, got " + r);
    return r;
  }

  protected String createTenant(String id) {
    return created(admin.post("/v1/tenants", Api.obj("id", id, "name", id + " Inc"))).text("id");
  }

  protected String createNetwork(String tenant, String cidr) {
    return created(admin.post("/v1/networks", Api.obj("tenant", tenant, "name", "net", "cidr", cidr))).text("id");
  }

  protected String createHost(String name, String dpid, String tunnelIp) {
    return created(admin.post("/v1/hosts", Api.obj("name", name, "datapath_id", dpid, "tunnel_ip", tunnelIp)))
        .text("name");
  }

  /** An external pool on an uplink subnet, one range of allocatable addresses. */
  protected String createPool(String name, String cidr, String start, String end) {
    return created(admin.post("/v1/external_pools", Api.obj("name", name, "cidr", cidr,
        "ranges", java.util.List.of(Api.obj("start", start, "end", end))))).text("name");
  }

  protected Api.Response createPort(String network, Object... more) {
    Object[] kv = new Object[more.length + 2];
    kv[0] = "network";
    kv[1] = network;
    System.arraycopy(more, 0, kv, 2, more.length);
    return admin.post("/v1/ports", Api.obj(kv));
  }
}
