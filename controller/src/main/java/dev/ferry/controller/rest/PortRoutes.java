package dev.ferry.controller.rest;

import dev.ferry.controller.store.Resource;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.apps.model.AddressPair;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.controller.PortStatus;
import dev.ferry.controller.RuntimeView;
import dev.ferry.controller.store.BatchRejection;
import dev.ferry.controller.store.Rejection;
import dev.ferry.controller.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/** /v1/ports: a tenant sees and changes only the ports of its own networks. */
final class PortRoutes implements RestRoutes {

  @JsonIgnoreProperties({"revision", "status", "tenant"})
  record Input(String id, String network, String name, String mac, String ip, String host,
      @JsonProperty("interface") String interfaceName, Boolean portSecurity,
      java.util.List<String> securityGroups, java.util.List<AddressPair> allowedAddressPairs) {

    static Input of(Port p) {
      return new Input(p.id(), p.networkId(), p.name(), p.mac(), p.ip(), p.host(), p.interfaceName(),
          p.portSecurity(), p.securityGroups(), p.allowedAddressPairs());
    }

    Port toPort(String id) {
      return new Port(id, network, name, mac, ip, host, interfaceName, portSecurity == null || portSecurity,
          securityGroups, allowedAddressPairs, 0);
    }

    /** A PUT that leaves the pairs out keeps them (as it keeps the groups). */
    Input withPairsOf(Port old) {
      return allowedAddressPairs != null ? this : new Input(id, network, name, mac, ip, host, interfaceName,
          portSecurity, securityGroups, old.allowedAddressPairs());
    }
  }

  record StatusView(String state, String host, Integer ofPort) {
    static StatusView of(PortStatus s) {
      return new StatusView(s.state().name().toLowerCase(Locale.ROOT), s.host(), s.ofPort());
    }
  }

  record View(String id, String network, String tenant, String name, String mac, String ip,
      String host, @JsonProperty("interface") String interfaceName, boolean portSecurity,
      java.util.List<String> securityGroups, java.util.List<AddressPair> allowedAddressPairs,
      StatusView status, long revision) {}

  private final Store store;
  private final RuntimeView runtime;

  PortRoutes(Store store, RuntimeView runtime) {
    this.store = store;
    this.runtime = runtime;
  }

  @Override
  public void register(Javalin app) {
    app.get("/v1/ports", this::list);
    app.post("/v1/ports", this::create);
    app.post("/v1/ports/batch", this::createMany);
    app.get("/v1/ports/{id}", this::get);
    app.put("/v1/ports/{id}", ctx -> update(ctx, false));
    app.patch("/v1/ports/{id}", ctx -> update(ctx, true));
    app.delete("/v1/ports/{id}", this::delete);
  }

  private View view(Port p) {
    return new View(p.id(), p.networkId(), tenantOf(p), p.name(), p.mac(), p.ip(), p.host(),
        p.interfaceName(), p.portSecurity(), p.groupsOr(tenantOf(p)),
        p.allowedAddressPairs().stream().map(a -> new AddressPair(a.ipAddress(), a.macOr(p.mac()))).toList(),
        StatusView.of(runtime.portStatus(p)), p.revision());
  }

  private String tenantOf(Port p) {
    return store.get(Resource.NETWORKS, p.networkId()).map(Network::tenantId).orElse(null);
  }

  private void list(Context ctx) {
    Principal p = RestAuth.principal(ctx);
    Requests.onlyFilters(ctx, "tenant", "network", "host");
    String tenant = ctx.queryParam("tenant");
    String network = ctx.queryParam("network");
    String host = ctx.queryParam("host");
    Stream<Port> ports = network != null ? store.portsOfNetwork(network).stream() : store.list(Resource.PORTS).stream();
    // Streamed: 100,000 ports are ~30 MB of JSON, written as they are rendered, never held whole.
    ctx.writeJsonStream(ports
        .filter(port -> host == null || host.equals(port.host()))
        .filter(port -> {
          String owner = tenantOf(port);
          return sees(p, port, owner) && (tenant == null || tenant.equals(owner));
        })
        .map(this::view));
  }

  private void create(Context ctx) {
    Principal p = RestAuth.principal(ctx);
    Input in = Json.bind(Json.object(ctx.body()), Input.class);
    Scope.generatedIdUnlessAdmin(p, in.id());
    visibleNetwork(p, in.network());
    checkPlacement(p, in, null);
    Port port = store.create(Resource.PORTS, in.toPort(in.id()));
    Requests.created(ctx, "/v1/ports/" + port.id(), port.revision(), view(port));
  }

  /**
   * A tenant sees its own tenant's ports; a host credential the ports on its host and the
   * unbound ones (which it may claim), so a compromised host cannot list other hosts' ports.
   */
  private static boolean sees(Principal p, Port port, String owner) {
    if (p.isHost()) {
      return port.host() == null || port.host().equals(p.hostName());
    }
    return p.sees(owner);
  }

  /**
   * {"ports": [port, ...]}: all created in one transaction, or none; a refusal names every
   * refused item by its index. Provisioning's fast path: one commit (one fsync) for them all.
   */
  private void createMany(Context ctx) {
    Principal p = RestAuth.principal(ctx);
    ObjectNode body = Json.object(ctx.body());
    var items = body.get("ports");
    if (items == null || !items.isArray() || body.size() != 1) {
      throw Json.badRequest("wrong_type", "ports", "the body must be {\"ports\": [port, ...]}");
    }
    List<Port> ports = new ArrayList<>();
    List<BatchRejection.Failure> failures = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      try {
        if (!items.get(i).isObject()) {
          throw Json.badRequest("wrong_type", null, "each item must be a port object");
        }
        Input in = Json.bind((ObjectNode) items.get(i), Input.class);
        // the same checks as a single POST: ids, visibility, who may place a port where
        Scope.generatedIdUnlessAdmin(p, in.id());
        visibleNetwork(p, in.network());
        checkPlacement(p, in, null);
        ports.add(in.toPort(in.id()));
      } catch (Rejection r) {
        failures.add(new BatchRejection.Failure(i, r));
        ports.add(null); // refused here; the store still checks the others
      }
    }
    List<Port> done;
    try {
      done = store.createPorts(ports);
    } catch (BatchRejection e) {
      List<BatchRejection.Failure> all = new ArrayList<>(failures);
      all.addAll(e.failures());
      all.sort(java.util.Comparator.comparingInt(BatchRejection.Failure::index));
      throw new BatchRejection(items.size(), all);
    }
    List<View> created = done.stream().map(this::view).toList();
    ctx.status(HttpStatus.CREATED).json(java.util.Map.of("ports", created));
  }

  /** A tenant naming another tenant's network reads exactly like naming no network. */
  private void visibleNetwork(Principal p, String networkId) {
    if (networkId == null || p.isAdmin()) {
      return;
    }
    Optional<Network> n = store.get(Resource.NETWORKS, networkId);
    if (n.isEmpty() || !p.sees(n.get().tenantId())) {
      throw Rejection.unknownReference("network", "network", networkId);
    }
  }

  private Port visible(Context ctx) {
    String id = ctx.pathParam("id");
    Principal p = RestAuth.principal(ctx);
    return store.get(Resource.PORTS, id).filter(port -> sees(p, port, tenantOf(port)))
        .orElseThrow(() -> Rejection.notFound("port", id));
  }

  private void get(Context ctx) {
    Port port = visible(ctx);
    Requests.ok(ctx, port.revision(), view(port));
  }

  private void update(Context ctx, boolean patch) {
    Principal p = RestAuth.principal(ctx);
    Port old = visible(ctx);
    ObjectNode body = Json.object(ctx.body());
    if (patch) {
      body = Json.mergePatch(Json.tree(Input.of(old)), body);
    }
    Input in = Json.bind(body, Input.class);
    Requests.sameId(in.id(), old.id());
    if (in.network() != null && !Objects.equals(in.network(), old.networkId())) {
      throw Rejection.invalid("network", "a port cannot move to another network");
    }
    if (!p.isAdmin() && !p.isHost()) {
      // A tenant's PUT that leaves the placement out must not unbind the port.
      in = new Input(in.id(), in.network(), in.name(), in.mac(), in.ip(),
          in.host() == null ? old.host() : in.host(),
          in.interfaceName() == null ? old.interfaceName() : in.interfaceName(), in.portSecurity(),
          in.securityGroups(), in.allowedAddressPairs());
    }
    in = in.withPairsOf(old);
    checkPlacement(p, in, old);
    Port port = store.update(Resource.PORTS, in.toPort(old.id()), Requests.ifMatch(ctx));
    Requests.ok(ctx, port.revision(), view(port));
  }

  /**
   * Placement names infrastructure: the admin sets it, or a host's credential for its own host
   * (as an OVN chassis claims its ports); a tenant token never does.
   */
  private static void checkPlacement(Principal p, Input in, Port old) {
    if (p.isAdmin()) {
      return;
    }
    if (p.isHost()) {
      // Another host's ports are invisible to it (404 before this), so only the new placement is checked.
      if ((old == null || in.host() != null) && !p.hostName().equals(in.host())) {
        throw new Rejection(Rejection.Reason.FORBIDDEN, "forbidden", "host",
            "a host credential binds ports to its own host only ('" + p.hostName() + "')");
      }
      return;
    }
    Scope.adminOnlyField("host", in.host(), old == null ? null : old.host());
    Scope.adminOnlyField("interface", in.interfaceName(), old == null ? null : old.interfaceName());
  }

  private void delete(Context ctx) {
    Principal p = RestAuth.principal(ctx);
    String id = ctx.pathParam("id");
    boolean visible = store.get(Resource.PORTS, id).filter(port -> sees(p, port, tenantOf(port))).isPresent();
    Requests.deleted(ctx, visible && store.delete(Resource.PORTS, id, Requests.ifMatch(ctx)), "port", id);
  }
}
