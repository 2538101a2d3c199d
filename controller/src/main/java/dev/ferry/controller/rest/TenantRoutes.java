package dev.ferry.controller.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.ferry.apps.model.Tenant;
import dev.ferry.controller.store.Resource;
import dev.ferry.controller.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Map;

/** /v1/tenants and tenant tokens: admin only. */
final class TenantRoutes implements RestRoutes, ResourceRoutes.Spec<Tenant, TenantRoutes.Input> {

  @JsonIgnoreProperties({"revision"})
  record Input(String id, String name) {}

  record View(String id, String name, long revision) {}

  private final Store store;

  TenantRoutes(Store store) {
    this.store = store;
  }

  @Override
  public void register(Javalin app) {
    new ResourceRoutes<>(store, Resource.TENANTS, "/v1/tenants", Input.class, this).register(app);
    app.post("/v1/tenants/{id}/tokens", this::issueToken);
  }

  @Override
  public Principal caller(Context ctx, boolean write) {
    return RestAuth.requireAdmin(ctx);
  }


  @Override
  public Input inputOf(Tenant t) {
    return new Input(t.id(), t.name());
  }

  @Override
  public Tenant toRecord(Principal p, Input in, Tenant old) {
    if (old == null) {
      return new Tenant(in.id(), in.name(), 0);
    }
    Requests.sameId(in.id(), old.id());
    return new Tenant(old.id(), in.name(), 0);
  }

  @Override
  public View view(Tenant t) {
    return new View(t.id(), t.name(), t.revision());
  }

  private void issueToken(Context ctx) {
    RestAuth.requireAdmin(ctx);
    String id = ctx.pathParam("id");
    String token = store.issueToken(id);
    ctx.status(201).json(Map.of("tenant", id, "token", token));
  }
}
