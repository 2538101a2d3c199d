package dev.ferry.controller.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ferry.apps.model.Host;
import dev.ferry.controller.engine.Engine;
import dev.ferry.controller.store.DatapathId;
import dev.ferry.controller.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Model versions on the REST side: {@code GET /v1/version}; a {@code Ferry-Version} header on
 * every write's answer; and, for any write, {@code ?wait=switches[&timeout_ms=N]}: the answer
 * comes only once every switch the write concerns holds its version (as OVN's --wait=hv),
 * or, after the timeout, as a 504 naming the switches that did not confirm. The write itself
 * is committed either way.
 */
public final class VersionRoutes implements RestRoutes {
  public static final String VERSION_HEADER = "Ferry-Version";
  public static final long DEFAULT_TIMEOUT_MS = 5000;
  public static final long MAX_TIMEOUT_MS = 600_000;
  private static final String WAIT_TIMEOUT = "ferry.waitTimeoutMs";
  private static final Set<HandlerType> WRITES =
      Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);

  record VersionView(long version, long processedVersion) {}

  record SwitchRef(String datapathId, String host) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record WaitTimeout(String error, String message, String field, long version,
      List<SwitchRef> switches) {}

  private final Store store;
  private final Engine engine;

  public VersionRoutes(Store store, Engine engine) {
    this.store = store;
    this.engine = engine;
  }

  @Override
  public void register(Javalin app) {
    app.get("/v1/version", ctx -> ctx.json(
        new VersionView(store.version(), engine.processedVersion())));
    app.beforeMatched("/v1/*", this::checkWait);
    // after, not afterMatched: a matched handler would become the request's route template
    // (metrics label requests by it).
    app.after("/v1/*", this::answered);
  }

  /** Checked before the write runs, so that a bad wait option changes nothing. */
  private void checkWait(Context ctx) {
    String wait = ctx.queryParam("wait");
    String timeout = ctx.queryParam("timeout_ms");
    if (wait == null && timeout == null) {
      return;
    }
    if (!WRITES.contains(ctx.method())) {
      throw Json.badRequest("bad_parameter", wait != null ? "wait" : "timeout_ms",
          "wait and timeout_ms apply to writes (POST, PUT, PATCH, DELETE) only");
    }
    if (!"switches".equals(wait)) {
      throw Json.badRequest("bad_parameter", "wait",
          "wait must be 'switches' (answer once every affected switch holds the change)");
    }
    long ms = DEFAULT_TIMEOUT_MS;
    if (timeout != null) {
      try {
        ms = Long.parseLong(timeout);
      } catch (NumberFormatException e) {
        ms = -1;
      }
      if (ms < 1 || ms > MAX_TIMEOUT_MS) {
        throw Json.badRequest("bad_parameter", "timeout_ms",
            "timeout_ms must be a whole number of milliseconds, 1.." + MAX_TIMEOUT_MS);
      }
    }
    ctx.attribute(WAIT_TIMEOUT, ms);
  }

  private void answered(Context ctx) throws InterruptedException {
    if (!WRITES.contains(ctx.method())) {
      return;
    }
    long version = store.version();
    ctx.header(VERSION_HEADER, Long.toString(version));
    Long timeoutMs = ctx.attribute(WAIT_TIMEOUT);
    if (timeoutMs == null || ctx.statusCode() >= 400) {
      return;
    }
    Set<Long> late = engine.awaitSwitches(version, Duration.ofMillis(timeoutMs));
    if (late.isEmpty()) {
      return;
    }
    String committed = "the change is committed as version " + version + ", but " + late.size()
        + " switch(es) did not confirm it within " + timeoutMs + " ms";
    if (!RestAuth.principal(ctx).isAdmin()) {
      // Switches are infrastructure: a tenant learns how many, never which.
      ctx.status(504).json(new WaitTimeout("switches_timeout", committed, null, version, null));
      return;
    }
    List<SwitchRef> refs = late.stream().sorted(Comparator.naturalOrder())
        .map(dpid -> new SwitchRef(DatapathId.format(dpid),
            engine.model().hostByDatapathId(dpid).map(Host::name).orElse(null)))
        .toList();
    ctx.status(504).json(new WaitTimeout("switches_timeout", committed + ": "
        + refs.stream().map(r -> r.host() == null ? r.datapathId()
            : r.host() + " (" + r.datapathId() + ")").toList(), null, version, refs));
  }
}
