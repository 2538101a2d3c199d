package dev.ferry.controller.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.controller.store.ExternalPool;
import dev.ferry.controller.store.Rejection;
import dev.ferry.controller.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;

/**
 * /v1/external_pools: the operator's external address pools that floating IPs come from.
 * Written by the admin only; tenants may read them (to pick a pool to allocate from).
 */
final class ExternalPoolRoutes implements RestRoutes {

  @JsonIgnoreProperties({"revision"})
  record Input(String name, String cidr, List<ExternalPool.Range> ranges) {
    static Input of(ExternalPool p) {
      return new Input(p.name(), p.cidr(), p.ranges());
    }
  }

  record View(String name, String cidr, List<ExternalPool.Range> ranges, long revision) {
    static View of(ExternalPool p) {
      return new View(p.name(), p.cidr(), p.ranges(), p.revision());
    }
  }

  private final Store store;

  ExternalPoolRoutes(Store store) {
    this.store = store;
  }

  @Override
  public void register(Javalin app) {
    app.get("/v1/external_pools", this::list);
    app.post("/v1/external_pools", this::create);
    app.get("/v1/external_pools/{name}", this::get);
    app.put("/v1/external_pools/{name}", ctx -> update(ctx, false));
    app.patch("/v1/external_pools/{name}", ctx -> update(ctx, true));
    app.delete("/v1/external_pools/{name}", this::delete);
  }

  private void list(Context ctx) {
    RestAuth.principal(ctx);
    Requests.onlyFilters(ctx);
    ctx.json(store.pools().stream().map(View::of).toList());
  }

  private void create(Context ctx) {
    RestAuth.requireAdmin(ctx);
    Input in = Json.bind(Json.object(ctx.body()), Input.class);
    ExternalPool p = store.createPool(new ExternalPool(in.name(), in.cidr(), in.ranges(), 0));
    Requests.created(ctx, "/v1/external_pools/" + p.name(), p.revision(), View.of(p));
  }

  private ExternalPool existing(Context ctx) {
    String name = ctx.pathParam("name");
    return store.pool(name).orElseThrow(() -> Rejection.notFound("external pool", name));
  }

  private void get(Context ctx) {
    RestAuth.principal(ctx);
    ExternalPool p = existing(ctx);
    Requests.ok(ctx, p.revision(), View.of(p));
  }

  private void update(Context ctx, boolean patch) {
    RestAuth.requireAdmin(ctx);
    ExternalPool old = existing(ctx);
    ObjectNode body = Json.object(ctx.body());
    if (patch) {
      body = Json.mergePatch(Json.tree(Input.of(old)), body);
    }
    Input in = Json.bind(body, Input.class);
    if (in.name() != null && !in.name().equals(old.name())) {
      throw Rejection.invalid("name", "body name '" + in.name() + "' differs from the path; pools cannot be renamed");
    }
    ExternalPool p = store.updatePool(new ExternalPool(old.name(), in.cidr(), in.ranges(), 0), Requests.ifMatch(ctx));
    Requests.ok(ctx, p.revision(), View.of(p));
  }

  private void delete(Context ctx) {
    RestAuth.requireAdmin(ctx);
    store.deletePool(ctx.pathParam("name"), Requests.ifMatch(ctx));
    Requests.deleted(ctx);
  }
}
