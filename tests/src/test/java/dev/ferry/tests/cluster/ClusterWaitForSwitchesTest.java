package dev.ferry.tests.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.controller.Ferry;
import dev.ferry.controller.FerryConfig;
import dev.ferry.controller.cluster.LocalEtcd;
import dev.ferry.controller.store.EtcdLocation;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * {@code ?wait=switches} across a cluster: two nodes on one etcd; an emulated switch connected
 * to node B only, so B is its master and node A never talks to it. A write through A waits
 * until B says the switch holds the write's version; when the switch holds its barrier replies
 * back, A answers 504 naming it.
 */
class ClusterWaitForSwitchesTest {
  private static final String TOKEN = "cluster-wait-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DPID = "0000000000000001";
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aWriteThroughANonMasterWaitsForTheMasterAndTimesOutNamingTheSwitch(@TempDir Path a, @TempDir Path b)
      throws Exception {
    try (LocalEtcd etcd = LocalEtcd.start(1)) {
      EtcdLocation location = EtcdLocation.plain(etcd.hostPorts(), "wait");
      try (Ferry nodeA = new Ferry(FerryConfig.forTest(a, TOKEN).withEtcd(location)).start();
          Ferry nodeB = new Ferry(FerryConfig.forTest(b, TOKEN).withEtcd(location)).start();
          SwitchEmulator emulator = SwitchEmulator.connect(
              EmulatorConfig.of("127.0.0.1", nodeB.openflowPort(), 1, OFVersion.OF_13))) {
        emulator.awaitReady(Duration.ofSeconds(10));
        EmulatedSwitch sw = emulator.switches().get(0);
        String viaA = "http://127.0.0.1:" + nodeA.restPort();
        String viaB = "http://127.0.0.1:" + nodeB.restPort();
        write(viaA, "/v1/hosts", Map.of("name", "h1", "datapath_id", DPID, "tunnel_ip", "192.168.0.1"));
        String tenant = write(viaA, "/v1/tenants", Map.of("name", "t")).body().path("id").asText();
        String network = write(viaA, "/v1/networks", Map.of("tenant", tenant, "name", "n", "cidr", "10.0.0.0/24"))
            .body().path("id").asText();
        awaitConfirmedMaster(viaB);
        assertEquals(0, get(viaA, "/v1/cluster").path("masters_confirmed").size(), "A cannot master a switch it never saw");

        Answer waited = write(viaA, "/v1/ports?wait=switches&timeout_ms=10000",
            Map.of("network", network, "name", "p1", "host", "h1", "interface", "s1-eth1"));
        assertEquals(201, waited.status(), waited::toString);
        assertTrue(installedVersion(viaB) >= waited.version(),
            "A answered before the master's switch held version " + waited.version());

        sw.delayBarrierReplies(Duration.ofSeconds(2));
        Answer late = write(viaA, "/v1/ports?wait=switches&timeout_ms=400",
            Map.of("network", network, "name", "p2", "host", "h1", "interface", "s1-eth2"));
        assertEquals(504, late.status(), late::toString);
        assertEquals("switches_timeout", late.body().path("error").asText());
        assertEquals(1, late.body().path("switches").size(), late::toString);
        assertEquals(DPID, late.body().path("switches").get(0).path("datapath_id").asText());
        assertEquals("h1", late.body().path("switches").get(0).path("host").asText());
        assertTrue(installedVersion(viaB) < late.version(), "the switch held the version after all");
      }
    }
  }

  private void awaitConfirmedMaster(String node) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (get(node, "/v1/cluster").path("masters_confirmed").size() != 1) {
      assertTrue(System.nanoTime() < deadline, "node B is not the switch's master: " + get(node, "/v1/cluster"));
      Thread.sleep(20);
    }
  }

  private long installedVersion(String node) throws Exception {
    return get(node, "/v1/switches/" + DPID).path("installed_version").asLong();
  }

  record Answer(int status, long version, JsonNode body) {}

  private Answer write(String node, String path, Map<String, Object> body) throws Exception {
    HttpResponse<String> r = http.send(request(node, path)
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
        .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    long version = Long.parseLong(r.headers().firstValue("Ferry-Version").orElse("0"));
    Answer answer = new Answer(r.statusCode(), version, r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body()));
    assertTrue(r.statusCode() < 400 || r.statusCode() == 504, answer::toString);
    return answer;
  }

  private JsonNode get(String node, String path) throws Exception {
    HttpResponse<String> r = http.send(request(node, path).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r::body);
    return JSON.readTree(r.body());
  }

  private static HttpRequest.Builder request(String node, String path) {
    return HttpRequest.newBuilder(URI.create(node + path))
        .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(30));
  }
}
