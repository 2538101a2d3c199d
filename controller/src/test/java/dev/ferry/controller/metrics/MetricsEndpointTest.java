package dev.ferry.controller.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.controller.Ferry;
import dev.ferry.controller.FerryConfig;
import dev.ferry.controller.HostPort;
import dev.ferry.controller.testing.FerryTestBase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsEndpointTest extends FerryTestBase {

  @Test
  void restRequestsAreCountedByRouteTemplateAndStatus() throws Exception {
    createTenant("acme");
    admin.get("/v1/tenants/acme");
    admin.get("/v1/tenants/nosuch");
    HttpResponse<String> r = scrape(ferry.restPort(), ADMIN_TOKEN);
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
    Map<String, Double> m = parse(r.body());
    assertEquals(1.0, m.get("ferry_rest_requests_total{method=\"POST\",route=\"/v1/tenants\",status=\"201\"}"), r.body());
    assertEquals(1.0, m.get("ferry_rest_requests_total{method=\"GET\",route=\"/v1/tenants/{id}\",status=\"200\"}"));
    assertEquals(1.0, m.get("ferry_rest_requests_total{method=\"GET\",route=\"/v1/tenants/{id}\",status=\"404\"}"));
    assertEquals(0.0, m.get("ferry_switches_connected"));
    assertEquals(0.0, m.get("ferry_switch_handshakes_total"));
    assertEquals(0.0, m.get("ferry_flow_mods_sent_total"));
    assertEquals(0.0, m.get("ferry_reconciles_total"));
    assertTrue(m.get("ferry_store_write_duration_seconds_count") >= 1.0, "the tenant's write was timed");
    assertTrue(m.containsKey("ferry_reconcile_duration_seconds_bucket{le=\"+Inf\"}"));
  }

  @Test
  void aMetricsTokenClosesTheEndpoint(@TempDir Path dir) throws Exception {
    FerryConfig config = new FerryConfig(new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0), dir, "t",
        Duration.ofSeconds(2), Duration.ofSeconds(6), null, null, false, "scrape-me");
    try (Ferry f = new Ferry(config).start()) {
      assertEquals(401, scrape(f.restPort(), null).statusCode());
      assertEquals(401, scrape(f.restPort(), "wrong").statusCode());
      assertEquals(200, scrape(f.restPort(), "scrape-me").statusCode());
      assertEquals(200, scrape(f.restPort(), "t").statusCode(), "the admin token reads metrics too");
    }
  }

  static HttpResponse<String> scrape(int port, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sample lines "name{labels} value" -> value. */
  public static Map<String, Double> parse(String text) {
    Map<String, Double> out = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return out;
  }
}
