package dev.ferry.controller.cluster;

import dev.ferry.controller.rest.RestAuth;
import dev.ferry.controller.rest.RestRoutes;
import dev.ferry.controller.store.EtcdStore;
import io.javalin.Javalin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** GET /v1/cluster (admin): the nodes, which switches each masters, etcd's health, the applied revision. */
public final class ClusterRoutes implements RestRoutes {

  record NodeView(String id, String info, List<String> masters) {}

  /** One switch's master and the generation id it sends in ROLE_REQUEST (its master key's create revision). */
  record SwitchMaster(String datapathId, String node, long generation) {}

  record EtcdView(List<String> endpoints, boolean healthy, String error, long revision) {}

  /** {@code mastersConfirmed}: the switches whose MASTER role confirmed this node (it writes to those). */
  record ClusterView(String node, boolean leaseHealthy, List<String> mastersConfirmed, long appliedRevision,
      long modelVersion, List<NodeView> nodes, List<SwitchMaster> switches, EtcdView etcd) {}

  private final Mastership mastership;
  private final EtcdStore store;

  public ClusterRoutes(Mastership mastership, EtcdStore store) {
    this.mastership = mastership;
    this.store = store;
  }

  @Override
  public void register(Javalin app) {
    app.get("/v1/cluster", ctx -> {
      RestAuth.requireAdmin(ctx);
      Mastership.View v = mastership.view();
      Map<String, List<String>> byNode = new TreeMap<>();
      v.nodes().keySet().forEach(n -> byNode.put(n, new ArrayList<>()));
      v.masters().forEach((dpid, h) -> byNode.computeIfAbsent(h.node(), k -> new ArrayList<>()).add(dpid));
      List<NodeView> nodes = byNode.entrySet().stream()
          .map(e -> new NodeView(e.getKey(), v.nodes().get(e.getKey()), e.getValue())).toList();
      List<SwitchMaster> switches = v.masters().entrySet().stream()
          .map(e -> new SwitchMaster(e.getKey(), e.getValue().node(), e.getValue().generation())).toList();
      ctx.json(new ClusterView(v.self(), v.leaseHealthy(), v.confirmed(), store.appliedRevision(), store.version(),
          nodes, switches, etcd()));
    });
  }

  private EtcdView etcd() {
    List<String> endpoints = store.location().endpoints().stream().map(Object::toString).toList();
    try {
      long rev = store.etcd().getKVClient().get(EtcdStore.bytesOf(store.location().root() + "data/commit"))
          .get(500, TimeUnit.MILLISECONDS).getHeader().getRevision();
      return new EtcdView(endpoints, true, null, rev);
    } catch (Exception e) {
      return new EtcdView(endpoints, false, e.toString(), 0);
    }
  }
}
