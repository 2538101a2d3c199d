package dev.ferry.controller.rest;

import dev.ferry.apps.model.Tenant;
import dev.ferry.controller.store.Store;
import io.javalin.Javalin;

/**
 * GET /v1/me: who the token is (the admin, or which tenant), so a client such as the web view
 * can show the right things without trying routes and reading 403s.
 */
public final class SessionRoutes implements RestRoutes {

  record Me(boolean admin, String tenant, String tenantName) {}

  private final Store store;

  public SessionRoutes(Store store) {
    this.store = store;
  }

  @Override
  public void register(Javalin app) {
    app.get("/v1/me", ctx -> {
      Principal p = RestAuth.principal(ctx);
      ctx.json(p.isAdmin() ? new Me(true, null, null)
          : new Me(false, p.tenantId(), store.tenant(p.tenantId()).map(Tenant::name).orElse(null)));
    });
  }
}
