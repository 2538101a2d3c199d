package dev.ferry.controller.rest;

import dev.ferry.controller.RuntimeView;
import dev.ferry.controller.store.BatchRejection;
import dev.ferry.controller.store.Rejection;
import dev.ferry.controller.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The REST northbound: Javalin with Ferry's JSON, authentication on every /v1 route except
 * /v1/health, the model's resources and any extra {@link RestRoutes} modules.
 */
public final class RestServer {

  private static final Logger LOG = LogManager.getLogger(RestServer.class);
  private static final String ERROR_WRITTEN = "ferry.error";
  public static final String HEALTH_PATH = "/v1/health";
  /** The largest request body read (Javalin's default); larger ones get a 413 too_large. */
  public static final long MAX_BODY_BYTES = 1_000_000;

  private final Javalin app;

  /** Told about every answered request (metrics); route is the matched template, e.g. /v1/ports/{id}. */
  @FunctionalInterface
  public interface RequestObserver {
    void answered(String method, String route, int status);
  }

  public RestServer(Store store, RuntimeView runtime, RestAuth auth, List<RestRoutes> extraRoutes) {
    this(store, runtime, auth, extraRoutes, (m, r, s) -> {}, cfg -> {});
  }

  /** @param server extra Javalin configuration (HTTPS) */
  public RestServer(Store store, RuntimeView runtime, RestAuth auth, List<RestRoutes> extraRoutes,
      RequestObserver observer, java.util.function.Consumer<io.javalin.config.JavalinConfig> server) {
    app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
      cfg.http.defaultContentType = "application/json";
      cfg.http.maxRequestSize = MAX_BODY_BYTES;
      // Requests Jetty refuses before Javalin sees them still get Ferry's JSON error.
      cfg.jetty.modifyServer(s -> s.setErrorHandler(new JsonErrorHandler()));
      cfg.jetty.modifyServletContextHandler(h -> h.setErrorHandler(new JsonErrorHandler()));
      cfg.requestLogger.http((ctx, ms) -> {
        LOG.debug("{} {} -> {} ({} ms)", ctx.method(), ctx.path(), ctx.statusCode(), String.format("%.1f", ms));
        observer.answered(ctx.method().name(), route(ctx), ctx.statusCode());
      });
      server.accept(cfg);
    });
    app.beforeMatched(ctx -> {
      if (ctx.path().startsWith("/v1/") && !ctx.path().equals(HEALTH_PATH)) {
        auth.authenticate(ctx);
      }
    });
    app.get(HEALTH_PATH, ctx -> ctx.json(Map.of("status", "ok")));
    List<RestRoutes> modules = new ArrayList<>(List.of(
        new TenantRoutes(store), new NetworkRoutes(store), new PortRoutes(store, runtime),
        new HostRoutes(store, runtime), new ExternalPoolRoutes(store), new FloatingIpRoutes(store),
        new SecurityGroupRoutes(store)));
    modules.addAll(extraRoutes);
    modules.forEach(m -> m.register(app));
    registerErrors();
  }

  /** The route template, so that labels stay few ("unmatched" for requests no route took). */
  private static String route(Context ctx) {
    try {
      String path = ctx.endpointHandlerPath();
      return path == null || path.isEmpty() || path.equals("*") ? "unmatched" : path;
    } catch (RuntimeException e) {
      return "unmatched";
    }
  }

  private void registerErrors() {
    app.exception(Rejection.class, (e, ctx) -> {
      LOG.debug("{} {} rejected: {} {}", ctx.method(), ctx.path(), e.code(), e.getMessage());
      error(ctx, e.reason().status, new ApiError(e.code(), e.getMessage(), e.field()));
    });
    app.exception(HttpResponseException.class, (e, ctx) -> {
      LOG.debug("{} {} refused: {} {}", ctx.method(), ctx.path(), e.getStatus(), e.getMessage());
      String message = e.getStatus() == 413 ? "the request body is larger than " + MAX_BODY_BYTES + " bytes"
          : e.getMessage();
      error(ctx, e.getStatus(), new ApiError(JsonErrorHandler.code(e.getStatus()), message, null));
    });
    app.exception(BatchRejection.class, (e, ctx) -> {
      LOG.debug("{} {} rejected: {}", ctx.method(), ctx.path(), e.getMessage());
      ctx.attribute(ERROR_WRITTEN, true);
      Rejection first = e.failures().get(0).rejection();
      ctx.status(first.reason().status).json(new BatchError("batch_rejected", e.getMessage(),
          e.failures().stream().map(f -> new BatchError.Item(f.index(), f.rejection().code(),
              f.rejection().field(), f.rejection().getMessage())).toList()));
    });
    app.exception(Exception.class, (e, ctx) -> {
      LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
      error(ctx, 500, new ApiError("internal", "internal error: " + e.getMessage(), null));
    });
    app.error(HttpStatus.NOT_FOUND, ctx -> genericError(ctx, "not_found",
        "no route " + ctx.method() + " " + ctx.path() + "; see docs/rest-api.md"));
    app.error(HttpStatus.METHOD_NOT_ALLOWED, ctx -> genericError(ctx, "method_not_allowed",
        ctx.method() + " is not allowed on " + ctx.path()));
  }

  private static void error(Context ctx, int status, ApiError body) {
    ctx.attribute(ERROR_WRITTEN, true);
    ctx.status(status).json(body);
  }

  /** Javalin's own errors (no route) in Ferry's error shape, unless a handler wrote one. */
  private static void genericError(Context ctx, String code, String message) {
    if (ctx.attribute(ERROR_WRITTEN) == null) {
      ctx.json(new ApiError(code, message, null));
    }
  }

  public RestServer start(String host, int port) {
    app.start(host, port);
    LOG.info("REST listening on http://{}:{}/v1", host, app.port());
    return this;
  }

  /** Starts on the connectors the configuration added (HTTPS, see {@link RestHttps}). */
  public RestServer startConfigured() {
    app.start();
    LOG.info("REST listening on https, port {}", app.port());
    return this;
  }

  /** The bound port (useful when started on port 0). */
  public int port() {
    return app.port();
  }

  public void stop() {
    app.stop();
  }
}
