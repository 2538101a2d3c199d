package dev.ferry.controller.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.apps.model.Tenant;
import dev.ferry.controller.store.Rejection;
import dev.ferry.controller.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Map;

/** /v1/tenants and tenant tokens: admin only. */
final class TenantRoutes implements RestRoutes {

  @JsonIgnoreProperties({"revision"})
  record Input(String id, String name) {}

  record View(String id, String name, long revision) {
    static View of(Tenant t) {
      return new View(t.id(), t.name(), t.revision());
    }
  }

  private final Store store;

  TenantRoutes(Store store) {
    this.store = store;
  }

  @Override
  public void register(Javalin app) {
    app.get("/v1/tenants", this::list);
    app.post("/v1/tenants", this::create);
    app.get("/v1/tenants/{id}", this::get);
    app.put("/v1/tenants/{id}", ctx -> update(ctx, false));
    app.patch("/v1/tenants/{id}", ctx -> update(ctx, true));
    app.delete("/v1/tenants/{id}", this::delete);
    app.post("/v1/tenants/{id}/tokens", this::issueToken);
  }

  private void list(Context ctx) {
    RestAuth.requireAdmin(ctx);
    Requests.onlyFilters(ctx);
    ctx.json(store.tenants().stream().map(View::of).toList());
  }

  private void create(Context ctx) {
    RestAuth.requireAdmin(ctx);
    Input in = Json.bind(Json.object(ctx.body()), Input.class);
    Tenant t = store.createTenant(new Tenant(in.id(), in.name(), 0));
    Requests.created(ctx, "/v1/tenants/" + t.id(), t.revision(), View.of(t));
  }

  private Tenant existing(Context ctx) {
    String id = ctx.pathParam("id");
    return store.tenant(id).orElseThrow(() -> Rejection.notFound("tenant", id));
  }

  private void get(Context ctx) {
    RestAuth.requireAdmin(ctx);
    Tenant t = existing(ctx);
    Requests.ok(ctx, t.revision(), View.of(t));
  }

  private void update(Context ctx, boolean patch) {
    RestAuth.requireAdmin(ctx);
    Tenant old = existing(ctx);
    ObjectNode body = Json.object(ctx.body());
    if (patch) {
      body = Json.mergePatch(Json.tree(new Input(old.id(), old.name())), body);
    }
    Input in = Json.bind(body, Input.class);
    Requests.sameId(in.id(), old.id());
    Tenant t = store.updateTenant(new Tenant(old.id(), in.name(), 0), Requests.ifMatch(ctx));
    Requests.ok(ctx, t.revision(), View.of(t));
  }

  private void delete(Context ctx) {
    RestAuth.requireAdmin(ctx);
    String id = ctx.pathParam("id");
    Requests.deleted(ctx, store.deleteTenant(id, Requests.ifMatch(ctx)), "tenant", id);
  }

  private void issueToken(Context ctx) {
    RestAuth.requireAdmin(ctx);
    String id = ctx.pathParam("id");
    String token = store.issueToken(id);
    ctx.status(201).json(Map.of("tenant", id, "token", token));
  }
}
