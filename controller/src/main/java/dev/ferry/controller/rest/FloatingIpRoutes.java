package dev.ferry.controller.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.apps.model.FloatingIp;
import dev.ferry.apps.model.Port;
import dev.ferry.controller.store.ExternalPool;
import dev.ferry.controller.store.Rejection;
import dev.ferry.controller.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Objects;

/** /v1/floating_ips: external addresses mapped onto ports; a tenant sees only its own. */
final class FloatingIpRoutes implements RestRoutes {

  /** pool: allocate ip from this external pool (ip absent), or the pool ip must be in. */
  @JsonIgnoreProperties({"revision", "host"})
  record Input(String id, String tenant, String ip, String pool, String port) {}

  /**
   * pool: the external pool the address belongs to; host: where the port it maps to lives
   * (read-only), null when unassigned or unplaced.
   */
  record View(String id, String tenant, String ip, String pool, String port, String host, long revision) {}

  private final Store store;

  FloatingIpRoutes(Store store) {
    this.store = store;
  }

  @Override
  public void register(Javalin app) {
    app.get("/v1/floating_ips", this::list);
    app.post("/v1/floating_ips", this::create);
    app.get("/v1/floating_ips/{id}", this::get);
    app.put("/v1/floating_ips/{id}", ctx -> update(ctx, false));
    app.patch("/v1/floating_ips/{id}", ctx -> update(ctx, true));
    app.delete("/v1/floating_ips/{id}", this::delete);
  }

  private View view(FloatingIp f) {
    String host = f.portId() == null ? null : store.port(f.portId()).map(Port::host).orElse(null);
    String pool = store.poolOf(f.ip()).map(ExternalPool::name).orElse(null);
    return new View(f.id(), f.tenantId(), f.ip(), pool, f.portId(), host, f.revision());
  }

  private void list(Context ctx) {
    Principal p = RestAuth.principal(ctx);
    Requests.onlyFilters(ctx, "tenant", "port", "host");
    String tenant = ctx.queryParam("tenant");
    String port = ctx.queryParam("port");
    String host = ctx.queryParam("host");
    ctx.json(store.floatingIps().stream()
        .filter(f -> p.sees(f.tenantId()))
        .filter(f -> tenant == null || tenant.equals(f.tenantId()))
        .filter(f -> port == null || port.equals(f.portId()))
        .map(this::view)
        .filter(v -> host == null || host.equals(v.host()))
        .toList());
  }

  private void create(Context ctx) {
    Principal p = RestAuth.principal(ctx);
    Input in = Json.bind(Json.object(ctx.body()), Input.class);
    String tenant = Scope.tenantForCreate(p, in.tenant());
    Scope.generatedIdUnlessAdmin(p, in.id());
    if (!p.isAdmin() && in.port() != null) {
      // Another tenant's port must read as no port at all.
      store.port(in.port()).filter(port -> p.sees(tenantOfPort(port)))
          .orElseThrow(() -> Rejection.unknownReference("port", "port", in.port()));
    }
    FloatingIp f = store.createFloatingIp(new FloatingIp(in.id(), tenant, in.ip(), in.port(), 0), in.pool());
    Requests.created(ctx, "/v1/floating_ips/" + f.id(), f.revision(), view(f));
  }

  private String tenantOfPort(Port port) {
    return store.network(port.networkId()).map(n -> n.tenantId()).orElse(null);
  }

  private FloatingIp visible(Context ctx) {
    String id = ctx.pathParam("id");
    Principal p = RestAuth.principal(ctx);
    return store.floatingIp(id).filter(f -> p.sees(f.tenantId()))
        .orElseThrow(() -> Rejection.notFound("floating ip", id));
  }

  private void get(Context ctx) {
    FloatingIp f = visible(ctx);
    Requests.ok(ctx, f.revision(), view(f));
  }

  private void update(Context ctx, boolean patch) {
    FloatingIp old = visible(ctx);
    ObjectNode body = Json.object(ctx.body());
    if (patch) {
      body = Json.mergePatch(Json.tree(new Input(old.id(), old.tenantId(), old.ip(), null, old.portId())), body);
    }
    Input in = Json.bind(body, Input.class);
    Requests.sameId(in.id(), old.id());
    if (in.tenant() != null && !Objects.equals(in.tenant(), old.tenantId())) {
      throw Rejection.invalid("tenant", "a floating ip cannot move to another tenant");
    }
    FloatingIp f = store.updateFloatingIp(new FloatingIp(old.id(), old.tenantId(), in.ip(), in.port(), 0),
        in.pool(), Requests.ifMatch(ctx));
    Requests.ok(ctx, f.revision(), view(f));
  }

  private void delete(Context ctx) {
    Principal p = RestAuth.principal(ctx);
    String id = ctx.pathParam("id");
    if (store.floatingIp(id).filter(f -> p.sees(f.tenantId())).isPresent()) {
      store.deleteFloatingIp(id, Requests.ifMatch(ctx));
    }
    Requests.deleted(ctx);
  }
}
