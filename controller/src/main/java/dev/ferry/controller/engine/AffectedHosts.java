package dev.ferry.controller.engine;

import dev.ferry.apps.model.FloatingIp;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.model.Tenant;
import dev.ferry.controller.store.ModelEvent;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which hosts must be recompiled when one model object changes: the hosts that have ports in
 * any network the object touches (before or after the change), plus the hosts it names. Pure,
 * so "only the affected hosts are reconciled" is a property a unit test can check.
 */
public final class AffectedHosts {
  private AffectedHosts() {}

  /** before/after: the object as it was and is (either may be null for create/delete). */
  public static Set<String> of(Model before, Model after, Object old, Object now) {
    Set<String> networks = new HashSet<>();
    Set<String> hosts = new HashSet<>();
    Stream.of(old, now).filter(Objects::nonNull).forEach(o -> touch(before, after, o, networks, hosts));
    return expand(before, after, networks, hosts);
  }

  /**
   * The union of {@link #of} over a drain's changes, each touched network scanned once (a
   * batch of 1,000 ports into one network is one scan of its ports, not 1,000).
   */
  public static Set<String> of(Model before, Model after, Iterable<ModelEvent> changes) {
    Set<String> networks = new HashSet<>();
    Set<String> hosts = new HashSet<>();
    for (ModelEvent e : changes) {
      Stream.of(e.oldValue(), e.newValue()).filter(Objects::nonNull).forEach(o -> touch(before, after, o, networks, hosts));
    }
    return expand(before, after, networks, hosts);
  }

  /** The touched networks' routed peers, then every host with a port in any of them. */
  private static Set<String> expand(Model before, Model after, Set<String> networks, Set<String> hosts) {
    networks.addAll(routedPeers(before, networks));
    networks.addAll(routedPeers(after, networks));
    for (String network : networks) {
      hosts.addAll(hostsWithPortsIn(before, network));
      hosts.addAll(hostsWithPortsIn(after, network));
    }
    hosts.remove(null);
    return hosts;
  }

  private static void touch(Model before, Model after, Object o, Set<String> networks, Set<String> hosts) {
    if (o instanceof Port p) {
      networks.add(p.networkId());
      hosts.add(p.host());
      // A member of a group that rules name as remote group is in other ports' flows.
      for (Model m : new Model[] {before, after}) {
        Network n = m.networks().get(p.networkId());
        if (n != null && p.groupsOr(n.tenantId()).stream().anyMatch(g -> isRemoteGroup(m, g))) {
          networks.addAll(networksOfTenant(m, n.tenantId()));
        }
      }
    } else if (o instanceof dev.ferry.apps.model.SecurityGroup g) {
      networks.addAll(networksOfTenant(before, g.tenantId()));
      networks.addAll(networksOfTenant(after, g.tenantId()));
    } else if (o instanceof dev.ferry.apps.model.SecurityGroupRule r) {
      for (Model m : new Model[] {before, after}) {
        var g = m.securityGroups().get(r.securityGroupId());
        if (g != null) {
          networks.addAll(networksOfTenant(before, g.tenantId()));
          networks.addAll(networksOfTenant(after, g.tenantId()));
        }
      }
    } else if (o instanceof Network n) {
      networks.add(n.id());
      hosts.add(n.gatewayHost());
    } else if (o instanceof Host h) {
      // A host's tunnel IP or uplink matters to every host sharing a network with it.
      hosts.add(h.name());
      networks.addAll(networksOnHost(before, h.name()));
      networks.addAll(networksOnHost(after, h.name()));
    } else if (o instanceof FloatingIp f) {
      for (Model m : new Model[] {before, after}) {
        Port p = f.portId() == null ? null : m.ports().get(f.portId());
        if (p != null) {
          hosts.add(p.host());
          networks.add(p.networkId());
        }
      }
    } else if (!(o instanceof Tenant)) {
      throw new IllegalArgumentException("not a model object: " + o);
    }
  }

  /**
   * A tenant's router joins its networks that have a gateway (TenantRoutes), so a change in
   * one of them concerns the hosts of the others: their routes into it. A superset of the
   * routable networks (overlap rules aside), which is safe: an extra host compiles to no change.
   */
  private static Set<String> routedPeers(Model m, Set<String> networks) {
    Set<String> out = new HashSet<>();
    for (String id : networks) {
      Network n = m.networks().get(id);
      if (n == null || n.gatewayIp() == null) {
        continue;
      }
      for (Network o : m.networksOf(n.tenantId())) {
        if (o.gatewayIp() != null) {
          out.add(o.id());
        }
      }
    }
    return out;
  }

  private static boolean isRemoteGroup(Model m, String groupId) {
    return m.securityGroupRules().values().stream().anyMatch(r -> groupId.equals(r.remoteGroupId()));
  }

  private static java.util.List<String> networksOfTenant(Model m, String tenantId) {
    return m.networksOf(tenantId).stream().map(Network::id).toList();
  }

  private static Set<String> networksOnHost(Model m, String host) {
    Set<String> out = new HashSet<>();
    for (Port p : m.portsOnHost(host)) {
      out.add(p.networkId());
    }
    return out;
  }

  private static Set<String> hostsWithPortsIn(Model m, String networkId) {
    Set<String> out = new HashSet<>();
    for (Port p : m.portsOf(networkId)) {
      out.add(p.host());
    }
    Network n = m.networks().get(networkId);
    if (n != null && n.gatewayHost() != null) {
      out.add(n.gatewayHost());
    }
    return out;
  }
}
