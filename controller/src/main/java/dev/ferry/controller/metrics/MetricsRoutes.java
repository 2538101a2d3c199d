package dev.ferry.controller.metrics;

import dev.ferry.controller.rest.ApiError;
import dev.ferry.controller.rest.RestRoutes;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * GET /metrics in the Prometheus text format. It names tenants and hosts, so it needs a bearer
 * token (the admin token, or the metrics token for scrapers) unless the operator opened it.
 */
public final class MetricsRoutes implements RestRoutes {
  public static final String PATH = "/metrics";

  private final FerryMetrics metrics;
  private final boolean open;
  private final List<String> tokens;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  /**
   * @param open serve without any token
   * @param metricsToken a scraper's token besides the admin token; null: none
   */
  public MetricsRoutes(FerryMetrics metrics, boolean open, String adminToken, String metricsToken) {
    this.metrics = metrics;
    this.open = open;
    this.tokens = metricsToken == null ? List.of(adminToken) : List.of(adminToken, metricsToken);
  }

  @Override
  public void register(Javalin app) {
    app.get(PATH, this::scrape);
  }

  private void scrape(Context ctx) throws IOException {
    if (!open && !authorized(ctx.header("Authorization"))) {
      ctx.header("WWW-Authenticate", "Bearer");
      ctx.status(401).json(new ApiError("unauthorized",
          "metrics need 'Authorization: Bearer <admin or metrics token>' (or ferry run --metrics-open)", null));
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.write(out, metrics.registry().scrape());
    ctx.contentType(writer.getContentType()).result(out.toByteArray());
  }

  private boolean authorized(String header) {
    if (header == null) {
      return false;
    }
    boolean ok = false;
    for (String token : tokens) {
      // Every token compared in constant time, so timing tells nothing about which one is near.
      ok |= MessageDigest.isEqual(("Bearer " + token).getBytes(StandardCharsets.UTF_8),
          header.getBytes(StandardCharsets.UTF_8));
    }
    return ok;
  }
}
