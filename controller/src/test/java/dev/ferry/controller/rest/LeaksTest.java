package dev.ferry.controller.rest;

import static dev.ferry.controller.testing.Api.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.controller.Ferry;
import dev.ferry.controller.FerryConfig;
import dev.ferry.controller.HostPort;
import dev.ferry.controller.testing.Api;
import dev.ferry.controller.testing.ControllerProcess;
import dev.ferry.controller.testing.FerryTestBase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a tenant (or anyone on the machine) could learn that is not theirs: nothing. */
class LeaksTest extends FerryTestBase {

  private Api a;
  private String bPort;

  @BeforeEach
  void twoTenants() {
    createTenant("a");
    createTenant("b");
    createHost("h1", "0000000000000001", "192.0.2.1");
    createPool("public", "203.0.113.0/24", "203.0.113.10", "203.0.113.20");
    a = admin.withToken(created(admin.post("/v1/tenants/a/tokens", obj())).text("token"));
    created(admin.post("/v1/networks", obj("id", "b-secret-net", "tenant", "b", "cidr", "10.0.0.0/24")));
    bPort = created(createPort("b-secret-net", "id", "b-secret-port", "host", "h1", "interface", "veth-b")).text("id");
    created(admin.post("/v1/floating_ips", obj("id", "b-secret-fip", "tenant", "b", "ip", "203.0.113.10")));
  }

  /** A taken id and a free one read the same to a tenant: it cannot choose ids at all. */
  @Test
  void tenantsCannotProbeIds() {
    String aNet = created(a.post("/v1/networks", obj("cidr", "10.0.0.0/24"))).text("id");
    assertTrue(aNet.matches("[0-9a-f-]{36}"), "a generated id: " + aNet);
    for (String id : List.of("b-secret-net", "free-id")) {
      assertRejected(403, "forbidden", "id", () -> a.post("/v1/networks", obj("id", id, "cidr", "10.1.0.0/24")));
    }
    for (String id : List.of("b-secret-port", "free-id")) {
      assertRejected(403, "forbidden", "id", () -> a.post("/v1/ports", obj("id", id, "network", aNet)));
    }
    for (String id : List.of("b-secret-fip", "free-id")) {
      assertRejected(403, "forbidden", "id", () -> a.post("/v1/floating_ips", obj("id", id, "pool", "public")));
    }
  }

  /** Only the admin and the host itself ever see interface_taken, and it names no port. */
  @Test
  void interfaceTakenSaysNothingOfTheHolder() {
    Api h1 = admin.withToken(created(admin.post("/v1/hosts/h1/tokens", obj())).text("token"));
    String aNet = created(a.post("/v1/networks", obj("cidr", "10.0.0.0/24"))).text("id");
    assertRejected(403, "forbidden", "host", () -> a.post("/v1/ports", obj("network", aNet, "host", "h1",
        "interface", "veth-b")));
    Api.Response r = assertRejected(409, "interface_taken", "interface", () -> h1.post("/v1/ports",
        obj("network", aNet, "host", "h1", "interface", "veth-b")));
    assertFalse(r.text("message").contains(bPort) || r.text("message").contains("b-secret"), r::toString);
  }

  @Test
  void metricsNeedATokenUnlessOpened(@TempDir Path other) throws Exception {
    assertEquals(401, scrape(ferry.restPort(), null).statusCode());
    assertEquals(401, scrape(ferry.restPort(), a.token()).statusCode(), "a tenant token does not read metrics");
    HttpResponse<String> denied = scrape(ferry.restPort(), "wrong");
    assertEquals(401, denied.statusCode());
    assertEquals("unauthorized", Api.JSON.readTree(denied.body()).path("error").asText());
    assertEquals(200, scrape(ferry.restPort(), ADMIN_TOKEN).statusCode());

    FerryConfig open = new FerryConfig(new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0), other, "t",
        Duration.ofSeconds(2), Duration.ofSeconds(6), null, null, false, null, true);
    try (Ferry f = new Ferry(open).start()) {
      assertEquals(200, scrape(f.restPort(), null).statusCode(), "--metrics-open");
    }
  }

  static HttpResponse<String> scrape(int port, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theDataDirectoryIsTheOwnersOnly(@TempDir Path parent) throws Exception {
    Path dir = parent.resolve("data");
    try (Ferry f = new Ferry(FerryConfig.forTest(dir, null)).start()) {
      new Api("http://127.0.0.1:" + f.restPort(), f.adminToken()).post("/v1/tenants", obj("name", "x"));
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
      for (String file : List.of("ferry.db", "ferry.db-wal", "ferry.db-shm", "admin-token", "ferry.lock")) {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(file))), file);
      }
    }
  }

  @Test
  void aSecondFerryOnTheSameDataDirectoryRefusesToStart() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new Ferry(FerryConfig.forTest(dataDir, ADMIN_TOKEN)).start());
    assertTrue(e.getMessage().contains("in use by another Ferry (pid " + ProcessHandle.current().pid() + ")"),
        e.getMessage());
    assertEquals(200, admin.get("/v1/tenants").status(), "the first one carries on");
  }

  @Test
  void aSecondFerryRunExitsNonZeroNamingTheHoldersPid(@TempDir Path parent) throws Exception {
    Path dir = parent.resolve("data");
    try (ControllerProcess first = new ControllerProcess(dir, "t").start()) {
      Process second = new ProcessBuilder(ControllerProcess.javaBinary(), "-cp", System.getProperty("java.class.path"),
          "dev.ferry.controller.Main", "run", "--rest-listen", "127.0.0.1:0", "--openflow-listen", "127.0.0.1:0",
          "--data-dir", dir.toString(), "--admin-token", "t").redirectErrorStream(true).start();
      assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the second ferry run did not exit");
      String out = new String(second.getInputStream().readAllBytes());
      assertNotEquals(0, second.exitValue(), out);
      assertTrue(out.contains("in use by another Ferry (pid " + first.pid() + ")"), out);
    }
  }
}
