package dev.ferry.controller.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.apps.model.Network;
import dev.ferry.controller.store.Rejection;
import dev.ferry.controller.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.Objects;

/** /v1/networks: a tenant sees and changes only its own. */
final class NetworkRoutes implements RestRoutes {

  static final int DEFAULT_MTU = 1450;

  @JsonIgnoreProperties({"revision"})
  record Input(String id, String tenant, String name, Integer vni, String cidr, String gatewayIp,
      Boolean dhcp, Integer mtu, List<String> dnsServers, String gatewayHost) {

    static Input of(Network n) {
      return new Input(n.id(), n.tenantId(), n.name(), n.vni(), n.cidr(), n.gatewayIp(), n.dhcp(),
          n.mtu(), n.dnsServers(), n.gatewayHost());
    }

    Network toNetwork(String id, String tenant) {
      if (vni != null && vni == 0) {
        throw Rejection.invalid("vni", "vni must be 1..16777215; leave it out to have one allocated");
      }
      if (dnsServers != null && dnsServers.contains(null)) {
        throw Rejection.invalid("dns_servers[" + dnsServers.indexOf(null) + "]", "dns_servers may not contain null");
      }
      return new Network(id, tenant, name, vni == null ? 0 : vni, cidr, gatewayIp,
          dhcp == null || dhcp, mtu == null ? DEFAULT_MTU : mtu, dnsServers, gatewayHost, 0);
    }
  }

  record View(String id, String tenant, String name, int vni, String cidr, String gatewayIp,
      boolean dhcp, int mtu, List<String> dnsServers, String gatewayHost, long revision) {
    static View of(Network n) {
      return new View(n.id(), n.tenantId(), n.name(), n.vni(), n.cidr(), n.gatewayIp(), n.dhcp(),
          n.mtu(), n.dnsServers(), n.gatewayHost(), n.revision());
    }
  }

  private final Store store;

  NetworkRoutes(Store store) {
    this.store = store;
  }

  @Override
  public void register(Javalin app) {
    app.get("/v1/networks", this::list);
    app.post("/v1/networks", this::create);
    app.get("/v1/networks/{id}", this::get);
    app.put("/v1/networks/{id}", ctx -> update(ctx, false));
    app.patch("/v1/networks/{id}", ctx -> update(ctx, true));
    app.delete("/v1/networks/{id}", this::delete);
  }

  private void list(Context ctx) {
    Principal p = RestAuth.principal(ctx);
    Requests.onlyFilters(ctx, "tenant");
    String tenant = ctx.queryParam("tenant");
    ctx.json(store.networks().stream()
        .filter(n -> p.sees(n.tenantId()))
        .filter(n -> tenant == null || tenant.equals(n.tenantId()))
        .map(View::of).toList());
  }

  private void create(Context ctx) {
    Principal p = RestAuth.principal(ctx);
    Input in = Json.bind(Json.object(ctx.body()), Input.class);
    String tenant = Scope.tenantForCreate(p, in.tenant());
    Scope.generatedIdUnlessAdmin(p, in.id());
    if (!p.isAdmin()) {
      Scope.adminOnlyField("vni", in.vni(), null);
      Scope.adminOnlyField("gateway_host", in.gatewayHost(), null);
    }
    Network n = store.createNetwork(in.toNetwork(in.id(), tenant));
    Requests.created(ctx, "/v1/networks/" + n.id(), n.revision(), View.of(n));
  }

  /** The network in the path, if the caller may see it; 404 otherwise. */
  private Network visible(Context ctx) {
    String id = ctx.pathParam("id");
    Principal p = RestAuth.principal(ctx);
    return store.network(id).filter(n -> p.sees(n.tenantId()))
        .orElseThrow(() -> Rejection.notFound("network", id));
  }

  private void get(Context ctx) {
    Network n = visible(ctx);
    Requests.ok(ctx, n.revision(), View.of(n));
  }

  private void update(Context ctx, boolean patch) {
    Principal p = RestAuth.principal(ctx);
    Network old = visible(ctx);
    ObjectNode body = Json.object(ctx.body());
    if (patch) {
      body = Json.mergePatch(Json.tree(Input.of(old)), body);
    }
    Input in = Json.bind(body, Input.class);
    Requests.sameId(in.id(), old.id());
    if (!p.isAdmin()) {
      Scope.adminOnlyField("vni", in.vni(), old.vni());
      Scope.adminOnlyField("gateway_host", in.gatewayHost(), old.gatewayHost());
    }
    if (in.tenant() != null && !Objects.equals(in.tenant(), old.tenantId())) {
      throw Rejection.invalid("tenant", "a network cannot move to another tenant");
    }
    Network proposed = in.toNetwork(old.id(), old.tenantId());
    if (!p.isAdmin()) {
      // A tenant's PUT that leaves gateway_host out must not clear the operator's choice.
      proposed = new Network(proposed.id(), proposed.tenantId(), proposed.name(), proposed.vni(),
          proposed.cidr(), proposed.gatewayIp(), proposed.dhcp(), proposed.mtu(),
          proposed.dnsServers(), old.gatewayHost(), 0);
    }
    Network n = store.updateNetwork(proposed, Requests.ifMatch(ctx));
    Requests.ok(ctx, n.revision(), View.of(n));
  }

  private void delete(Context ctx) {
    Principal p = RestAuth.principal(ctx);
    String id = ctx.pathParam("id");
    if (store.network(id).filter(n -> p.sees(n.tenantId())).isPresent()) {
      store.deleteNetwork(id, Requests.ifMatch(ctx));
    }
    Requests.deleted(ctx);
  }
}
