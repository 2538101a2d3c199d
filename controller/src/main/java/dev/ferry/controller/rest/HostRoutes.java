package dev.ferry.controller.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.apps.model.Host;
import dev.ferry.controller.RuntimeView;
import dev.ferry.controller.store.DatapathId;
import dev.ferry.controller.store.Rejection;
import dev.ferry.controller.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;

/** /v1/hosts: the operator's inventory; admin only (tenants get 403). */
final class HostRoutes implements RestRoutes {

  record UplinkJson(@JsonProperty("interface") String interfaceName, String address, String nextHop) {
    static UplinkJson of(Host.Uplink u) {
      return u == null ? null : new UplinkJson(u.interfaceName(), u.address(), u.nextHop());
    }

    Host.Uplink toUplink() {
      return new Host.Uplink(interfaceName, address, nextHop);
    }
  }

  @JsonIgnoreProperties({"revision", "connected"})
  record Input(String name, String datapathId, String tunnelIp, UplinkJson uplink) {
    static Input of(Host h) {
      return new Input(h.name(), DatapathId.format(h.datapathId()), h.tunnelIp(), UplinkJson.of(h.uplink()));
    }

    Host toHost(String hostName) {
      if (datapathId == null) {
        throw Rejection.invalid("datapath_id", "datapath_id is required (16 hex digits)");
      }
      if (tunnelIp == null) {
        throw Rejection.invalid("tunnel_ip", "tunnel_ip is required");
      }
      return new Host(hostName, DatapathId.parse(datapathId, "datapath_id"), tunnelIp,
          uplink == null ? null : uplink.toUplink(), 0);
    }
  }

  record View(String name, String datapathId, String tunnelIp, UplinkJson uplink, boolean connected,
      long revision) {}

  private final Store store;
  private final RuntimeView runtime;

  HostRoutes(Store store, RuntimeView runtime) {
    this.store = store;
    this.runtime = runtime;
  }

  @Override
  public void register(Javalin app) {
    app.get("/v1/hosts", this::list);
    app.post("/v1/hosts", this::create);
    app.get("/v1/hosts/{name}", this::get);
    app.put("/v1/hosts/{name}", ctx -> update(ctx, false));
    app.patch("/v1/hosts/{name}", ctx -> update(ctx, true));
    app.delete("/v1/hosts/{name}", this::delete);
    app.post("/v1/hosts/{name}/tokens", this::issueCredential);
  }

  /** A host credential: what ferry attach on that host uses to bind ports to it. */
  private void issueCredential(Context ctx) {
    RestAuth.requireAdmin(ctx);
    Host h = existing(ctx);
    ctx.status(201).json(java.util.Map.of("host", h.name(), "token", store.issueHostToken(h.name())));
  }

  private View view(Host h) {
    return new View(h.name(), DatapathId.format(h.datapathId()), h.tunnelIp(), UplinkJson.of(h.uplink()),
        runtime.hostConnected(h.name()), h.revision());
  }

  private void list(Context ctx) {
    RestAuth.requireAdmin(ctx);
    Requests.onlyFilters(ctx);
    ctx.json(store.hosts().stream().map(this::view).toList());
  }

  private void create(Context ctx) {
    RestAuth.requireAdmin(ctx);
    Input in = Json.bind(Json.object(ctx.body()), Input.class);
    Host h = store.createHost(in.toHost(in.name()));
    Requests.created(ctx, "/v1/hosts/" + h.name(), h.revision(), view(h));
  }

  private Host existing(Context ctx) {
    String name = ctx.pathParam("name");
    return store.host(name).orElseThrow(() -> Rejection.notFound("host", name));
  }

  private void get(Context ctx) {
    RestAuth.requireAdmin(ctx);
    Host h = existing(ctx);
    Requests.ok(ctx, h.revision(), view(h));
  }

  private void update(Context ctx, boolean patch) {
    RestAuth.requireAdmin(ctx);
    Host old = existing(ctx);
    ObjectNode body = Json.object(ctx.body());
    if (patch) {
      body = Json.mergePatch(Json.tree(Input.of(old)), body);
    }
    Input in = Json.bind(body, Input.class);
    if (in.name() != null && !in.name().equals(old.name())) {
      throw Rejection.invalid("name", "body name '" + in.name() + "' differs from the path; hosts cannot be renamed");
    }
    Host h = store.updateHost(in.toHost(old.name()), Requests.ifMatch(ctx));
    Requests.ok(ctx, h.revision(), view(h));
  }

  private void delete(Context ctx) {
    RestAuth.requireAdmin(ctx);
    store.deleteHost(ctx.pathParam("name"), Requests.ifMatch(ctx));
    Requests.deleted(ctx);
  }
}
