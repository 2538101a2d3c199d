package dev.ferry.apps.trace;

import dev.ferry.apps.model.FloatingIp;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.pipeline.FerryApp;
import dev.ferry.southbound.flow.FerryCookie;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decodes a flow's cookie into the model object that owns it: the app byte names the app, the
 * low 48 bits are the hash of the object's id ({@link FerryApp#objectHash}), looked up here
 * among the snapshot's ports, networks, floating IPs and hosts.
 */
public final class FlowOwners {

  /**
   * The owner of one flow.
   *
   * @param app the app that compiled it ("l2", "port_security", ...)
   * @param kind port, network, floating_ip, host, pipeline (table defaults) or unknown
   * @param tenantId the owning tenant, null for infrastructure (hosts, table defaults)
   */
  public record Owner(String app, String kind, String id, String name, String tenantId,
      String networkName) {

    /** "port a1 (network web)", "network web", "table default". */
    public String describe() {
      return switch (kind) {
        case "pipeline" -> "table default";
        case "port" -> "port " + name + (networkName == null ? "" : " (network " + networkName + ")");
        case "floating_ip" -> "floating IP " + name;
        case "unknown" -> "unknown object " + id;
        default -> kind + " " + name;
      };
    }
  }

  private final Map<Long, Owner> byHash = new HashMap<>();
  private final Model model;

  public FlowOwners(Model model) {
    this.model = model;
    for (Port p : model.ports().values()) {
      Network n = model.networks().get(p.networkId());
      put(p.id(), "port", p.name() == null ? p.id() : p.name(),
          n == null ? null : n.tenantId(), n == null ? null : n.name());
    }
    for (Network n : model.networks().values()) {
      put(n.id(), "network", n.name() == null ? n.id() : n.name(), n.tenantId(), n.name());
    }
    for (FloatingIp f : model.floatingIps().values()) {
      put(f.id(), "floating_ip", f.ip(), f.tenantId(), null);
    }
    for (Host h : model.hosts().values()) {
      put(h.name(), "host", h.name(), null, null);
    }
  }

  private void put(String id, String kind, String name, String tenant, String network) {
    byHash.putIfAbsent(FerryApp.objectHash(id), new Owner(null, kind, id, name, tenant, network));
  }

  /** The owner of a Ferry cookie; empty for a foreign flow. */
  public Optional<Owner> of(long cookie) {
    if (!FerryCookie.isFerry(cookie)) {
      return Optional.empty();
    }
    String app;
    try {
      app = FerryApp.byId(FerryCookie.appId(cookie)).name().toLowerCase();
    } catch (IllegalArgumentException e) {
      app = "app" + FerryCookie.appId(cookie);
    }
    long object = FerryCookie.objectId(cookie);
    if (object == 0) {
      return Optional.of(new Owner(app, "pipeline", null, null, null, null));
    }
    Owner o = byHash.get(object);
    if (o == null) {
      return Optional.of(new Owner(app, "unknown", Long.toHexString(object), null, null, null));
    }
    return Optional.of(new Owner(app, o.kind(), o.id(), o.name(), o.tenantId(), o.networkName()));
  }

  public Model model() {
    return model;
  }
}
