package dev.ferry.controller.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.apps.model.Host;
import dev.ferry.controller.RuntimeView;
import dev.ferry.controller.store.DatapathId;
import dev.ferry.controller.store.Rejection;
import dev.ferry.controller.store.Resource;
import dev.ferry.controller.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;

/** /v1/hosts: the operator's inventory; admin only (tenants get 403). */
final class HostRoutes implements RestRoutes, ResourceRoutes.Spec<Host, HostRoutes.Input> {

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
    new ResourceRoutes<>(store, Resource.HOSTS, "/v1/hosts", Input.class, this).register(app);
    app.post("/v1/hosts/{name}/tokens", this::issueCredential);
  }

  /** A host credential: what ferry attach on that host uses to bind ports to it. */
  private void issueCredential(Context ctx) {
    RestAuth.requireAdmin(ctx);
    String name = ctx.pathParam("name");
    Host h = store.get(Resource.HOSTS, name).orElseThrow(() -> Rejection.notFound("host", name));
    ctx.status(201).json(java.util.Map.of("host", h.name(), "token", store.issueHostToken(h.name())));
  }

  @Override
  public Principal caller(Context ctx, boolean write) {
    return RestAuth.requireAdmin(ctx);
  }


  @Override
  public Input inputOf(Host h) {
    return Input.of(h);
  }

  @Override
  public Host toRecord(Principal p, Input in, Host old) {
    if (old == null) {
      return in.toHost(in.name());
    }
    if (in.name() != null && !in.name().equals(old.name())) {
      throw Rejection.invalid("name", "body name '" + in.name() + "' differs from the path; hosts cannot be renamed");
    }
    return in.toHost(old.name());
  }

  @Override
  public View view(Host h) {
    return new View(h.name(), DatapathId.format(h.datapathId()), h.tunnelIp(), UplinkJson.of(h.uplink()),
        runtime.hostConnected(h), h.revision());
  }
}
