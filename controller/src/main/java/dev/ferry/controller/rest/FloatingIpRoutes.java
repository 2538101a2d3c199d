package dev.ferry.controller.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.ferry.apps.model.FloatingIp;
import dev.ferry.apps.model.Port;
import dev.ferry.controller.store.ExternalPool;
import dev.ferry.controller.store.Rejection;
import dev.ferry.controller.store.Resource;
import dev.ferry.controller.store.Store;
import io.javalin.Javalin;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.Objects;

/** /v1/floating_ips: external addresses mapped onto ports; a tenant sees only its own. */
final class FloatingIpRoutes implements RestRoutes, ResourceRoutes.Spec<FloatingIp, FloatingIpRoutes.Input> {

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
    new ResourceRoutes<>(store, Resource.FLOATING_IPS, "/v1/floating_ips", Input.class, this).register(app);
  }

  @Override
  public boolean sees(Principal p, FloatingIp f) {
    return p.sees(f.tenantId());
  }

  @Override
  public Map<String, BiPredicate<FloatingIp, String>> filters() {
    return Map.of("tenant", (f, tenant) -> tenant.equals(f.tenantId()),
        "port", (f, port) -> port.equals(f.portId()),
        "host", (f, host) -> host.equals(hostOf(f)));
  }


  @Override
  public Input inputOf(FloatingIp f) {
    return new Input(f.id(), f.tenantId(), f.ip(), null, f.portId());
  }

  @Override
  public FloatingIp toRecord(Principal p, Input in, FloatingIp old) {
    if (old == null) {
      String tenant = Scope.tenantForCreate(p, in.tenant());
      Scope.generatedIdUnlessAdmin(p, in.id());
      if (!p.isAdmin() && in.port() != null) {
        // Another tenant's port must read as no port at all.
        store.get(Resource.PORTS, in.port()).filter(port -> p.sees(tenantOfPort(port)))
            .orElseThrow(() -> Rejection.unknownReference("port", "port", in.port()));
      }
      return new FloatingIp(in.id(), tenant, in.ip(), in.port(), 0);
    }
    Requests.sameId(in.id(), old.id());
    if (in.tenant() != null && !Objects.equals(in.tenant(), old.tenantId())) {
      throw Rejection.invalid("tenant", "a floating ip cannot move to another tenant");
    }
    return new FloatingIp(old.id(), old.tenantId(), in.ip(), in.port(), 0);
  }

  @Override
  public FloatingIp create(Store store, Resource<FloatingIp> kind, FloatingIp f, Input in) {
    return store.createFloatingIp(f, in.pool());
  }

  @Override
  public FloatingIp update(Store store, Resource<FloatingIp> kind, FloatingIp f, Input in, Long ifMatch) {
    return store.updateFloatingIp(f, in.pool(), ifMatch);
  }

  private String hostOf(FloatingIp f) {
    return f.portId() == null ? null : store.get(Resource.PORTS, f.portId()).map(Port::host).orElse(null);
  }

  @Override
  public View view(FloatingIp f) {
    String pool = store.poolOf(f.ip()).map(ExternalPool::name).orElse(null);
    return new View(f.id(), f.tenantId(), f.ip(), pool, f.portId(), hostOf(f), f.revision());
  }

  private String tenantOfPort(Port port) {
    return store.get(Resource.NETWORKS, port.networkId()).map(n -> n.tenantId()).orElse(null);
  }
}
