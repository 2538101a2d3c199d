package dev.ferry.controller.rest;

import dev.ferry.controller.store.Rejection;
import dev.ferry.controller.trace.TraceRequest;
import dev.ferry.controller.trace.TraceService;
import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * POST /v1/trace: where a packet goes and which object decides it. Admin and tenant tokens;
 * a tenant traces only from and to what it sees. ?live=true walks the switches' own flows.
 */
public final class TraceRoutes implements RestRoutes {
  private final TraceService traces;

  public TraceRoutes(TraceService traces) {
    this.traces = traces;
  }

  @Override
  public void register(Javalin app) {
    app.post("/v1/trace", this::trace);
  }

  private void trace(Context ctx) throws InterruptedException {
    Principal caller = RestAuth.principal(ctx);
    // a POST that writes nothing: ?wait=switches (which some clients add to every POST) is harmless
    Requests.onlyFilters(ctx, "live", "wait", "timeout_ms");
    TraceRequest req = Json.bind(Json.object(ctx.body()), TraceRequest.class);
    ctx.json(traces.trace(req, caller, live(ctx)));
  }

  private static boolean live(Context ctx) {
    String v = ctx.queryParam("live");
    if (v == null || v.equals("false")) {
      return false;
    }
    if (v.equals("true")) {
      return true;
    }
    throw new Rejection(Rejection.Reason.BAD_REQUEST, "invalid_value", "live",
        "live must be true or false");
  }
}
