package dev.ferry.controller.rest;

import dev.ferry.controller.store.Resource;

import dev.ferry.apps.model.Tenant;
import dev.ferry.controller.store.Store;
import io.javalin.Javalin;

/**
 * GET /v1/me: who the token is (the admin, or which tenant), so a client such as the web view
 * can show the right things without trying routes and reading 403s. POST /v1/events/tickets:
 * a one-time ticket that opens the event stream as the same caller (EventSource sends no
 * headers; see {@link StreamTickets}).
 */
public final class SessionRoutes implements RestRoutes {

  record Me(boolean admin, String tenant, String tenantName) {}

  record Ticket(String ticket, long expiresInSeconds) {}

  private final Store store;
  private final StreamTickets tickets;

  public SessionRoutes(Store store, StreamTickets tickets) {
    this.store = store;
    this.tickets = tickets;
  }

  @Override
  public void register(Javalin app) {
    app.get("/v1/me", ctx -> {
      Principal p = RestAuth.principal(ctx);
      ctx.json(p.isAdmin() ? new Me(true, null, null)
          : new Me(false, p.tenantId(), store.get(Resource.TENANTS, p.tenantId()).map(Tenant::name).orElse(null)));
    });
    app.post(RestAuth.EVENTS_PATH + "/tickets", ctx -> ctx.status(201).json(new Ticket(
        tickets.issue(RestAuth.principal(ctx)), StreamTickets.TTL.toSeconds())));
  }
}
