package dev.ferry.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.controller.Ferry;
import dev.ferry.controller.FerryConfig;
import dev.ferry.tests.harness.EmulatedSwitch;
import dev.ferry.tests.harness.EmulatorConfig;
import dev.ferry.tests.harness.SwitchEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * {@code ?wait=switches}: a write is answered once every switch it concerns confirmed its
 * version with barrier replies. Two emulated switches (h1, h2) share a network; h2 holds its
 * barrier replies back, so only a wait that really waits for h2 can pass.
 */
class WaitForSwitchesTest {
  private static final String TOKEN = "wait-test-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir
  Path dataDir;
  private Ferry ferry;
  private SwitchEmulator emulator;
  private EmulatedSwitch h2;
  private String network;

  @BeforeEach
  void start() throws Exception {
    ferry = new Ferry(FerryConfig.forTest(dataDir, TOKEN)).start();
    emulator = SwitchEmulator.connect(
        EmulatorConfig.of("127.0.0.1", ferry.openflowPort(), 2, OFVersion.OF_13));
    emulator.awaitReady(Duration.ofSeconds(10));
    h2 = emulator.switches().stream().filter(s -> s.dpid() == 2).findFirst().orElseThrow();
    write("POST", "/v1/hosts?wait=switches", Map.of("name", "h1", "datapath_id", "0000000000000001", "tunnel_ip", "192.168.0.1"));
    write("POST", "/v1/hosts?wait=switches", Map.of("name", "h2", "datapath_id", "0000000000000002", "tunnel_ip", "192.168.0.2"));
    String tenant = write("POST", "/v1/tenants", Map.of("name", "t")).body().path("id").asText();
    network = write("POST", "/v1/networks", Map.of("tenant", tenant, "name", "n", "cidr", "10.0.0.0/24"))
        .body().path("id").asText();
    // h2 has a port in the network, so a port added on h1 concerns h2 too (its L2 flow).
    Answer first = write("POST", "/v1/ports?wait=switches", port("p2", "h2", "s2-eth1"));
    assertEquals(201, first.status(), first::toString);
  }

  @AfterEach
  void stop() {
    if (emulator != null) {
      emulator.close();
    }
    if (ferry != null) {
      ferry.close();
    }
  }

  @Test
  void aWriteWithWaitIsAnsweredOnlyOnceTheSlowSwitchConfirmed() throws Exception {
    Duration delay = Duration.ofMillis(400);
    h2.delayBarrierReplies(delay);
    long start = System.nanoTime();
    Answer a = write("POST", "/v1/ports?wait=switches", port("p1", "h1", "s1-eth1"));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertEquals(201, a.status(), a::toString);
    long version = a.version();
    assertTrue(took.compareTo(delay) >= 0, "answered after " + took + ", before h2's barrier reply");
    assertTrue(installedVersion("0000000000000002") >= version, "h2 holds version " + version);
    assertTrue(installedVersion("0000000000000001") >= version, "h1 holds version " + version);
    assertEquals(version, get("/v1/version").path("version").asLong());
  }

  @Test
  void withoutWaitTheAnswerComesBeforeTheSlowSwitchConfirmed() throws Exception {
    h2.delayBarrierReplies(Duration.ofSeconds(2));
    Answer a = write("POST", "/v1/ports", port("p1", "h1", "s1-eth1"));
    assertEquals(201, a.status(), a::toString);
    assertTrue(installedVersion("0000000000000002") < a.version(),
        "h2 cannot hold the version yet: its barrier replies are 2 s late");
  }

  @Test
  void aTimedOutWaitAnswers504NamingTheSwitchAndTheWriteStaysCommitted() throws Exception {
    h2.delayBarrierReplies(Duration.ofSeconds(2));
    Answer a = write("POST", "/v1/ports?wait=switches&timeout_ms=300", port("p1", "h1", "s1-eth1"));
    assertEquals(504, a.status(), a::toString);
    assertEquals("switches_timeout", a.body().path("error").asText());
    assertEquals(1, a.body().path("switches").size(), a::toString);
    assertEquals("h2", a.body().path("switches").get(0).path("host").asText());
    assertEquals("0000000000000002", a.body().path("switches").get(0).path("datapath_id").asText());
    assertEquals(a.version(), a.body().path("version").asLong());
    assertEquals(2, get("/v1/ports").size(), "the write is committed");
  }

  @Test
  void aBadWaitOptionIsA400NamingItAndChangesNothing() throws Exception {
    long before = get("/v1/version").path("version").asLong();
    Answer a = write("POST", "/v1/ports?wait=hv", port("p1", "h1", "s1-eth1"));
    assertEquals(400, a.status(), a::toString);
    assertEquals("wait", a.body().path("field").asText());
    Answer b = write("POST", "/v1/ports?wait=switches&timeout_ms=soon", port("p1", "h1", "s1-eth1"));
    assertEquals("timeout_ms", b.body().path("field").asText());
    assertEquals(before, get("/v1/version").path("version").asLong());
    assertEquals(1, get("/v1/ports").size());
  }

  // ---- plumbing ----

  private Map<String, Object> port(String name, String host, String iface) {
    return Map.of("network", network, "name", name, "host", host, "interface", iface);
  }

  private long installedVersion(String dpidHex) throws Exception {
    for (JsonNode sw : get("/v1/switches")) {
      if (sw.path("datapath_id").asText().replace(":", "").equals(dpidHex)) {
        return sw.path("installed_version").asLong();
      }
    }
    throw new AssertionError("switch " + dpidHex + " not listed");
  }

  record Answer(int status, long version, JsonNode body) {}

  private Answer write(String method, String path, Map<String, Object> body) throws Exception {
    HttpResponse<String> r = http.send(request(path)
        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
        .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    long version = Long.parseLong(r.headers().firstValue("Ferry-Version")
        .orElseThrow(() -> new AssertionError("no Ferry-Version on " + method + " " + path)));
    return new Answer(r.statusCode(), version, r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body()));
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r::body);
    return JSON.readTree(r.body());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ferry.restPort() + path))
        .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(30));
  }
}
