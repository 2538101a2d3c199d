package dev.ferry.controller.metrics;

import dev.ferry.controller.rest.RestRoutes;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

/**
 * GET /metrics in the Prometheus text format. Open by default (scrapers rarely carry tokens);
 * with a metrics token set, the scraper must send it as a bearer token.
 */
public final class MetricsRoutes implements RestRoutes {
  public static final String PATH = "/metrics";

  private final FerryMetrics metrics;
  private final String token;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  /** @param token null: no authentication */
  public MetricsRoutes(FerryMetrics metrics, String token) {
    this.metrics = metrics;
    this.token = token;
  }

  @Override
  public void register(Javalin app) {
    app.get(PATH, this::scrape);
  }

  private void scrape(Context ctx) throws IOException {
    if (token != null && !authorized(ctx.header("Authorization"))) {
      ctx.status(401).contentType("text/plain").result("metrics need 'Authorization: Bearer <metrics token>'\n");
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.write(out, metrics.registry().scrape());
    ctx.contentType(writer.getContentType()).result(out.toByteArray());
  }

  private boolean authorized(String header) {
    String expected = "Bearer " + token;
    return header != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        header.getBytes(StandardCharsets.UTF_8));
  }
}
