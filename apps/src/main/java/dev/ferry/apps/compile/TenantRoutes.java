package dev.ferry.apps.compile;

import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import java.util.Comparator;
import java.util.List;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;

/**
 * Which networks a tenant's router connects: all of the tenant's networks with a gateway whose
 * CIDR overlaps no other of its networks. Overlapping networks (allowed: they are separate L2
 * segments) cannot be routed unambiguously, so they stay unrouted rather than half-routed.
 */
public final class TenantRoutes {
  private TenantRoutes() {}

  public static List<Network> routable(Model model, String tenantId) {
    return model.derived("routable:" + tenantId, m -> routableNow(m, tenantId));
  }

  private static List<Network> routableNow(Model model, String tenantId) {
    List<Network> mine = model.networks().values().stream()
        .filter(n -> tenantId.equals(n.tenantId())).toList();
    return mine.stream()
        .filter(n -> n.gatewayIp() != null && n.cidr() != null)
        .filter(n -> mine.stream().noneMatch(o -> o != n && overlaps(n, o)))
        .sorted(Comparator.comparingInt(Network::vni))
        .toList();
  }

  /** The networks a packet of this network may be routed into (never itself). */
  public static List<Network> targets(Model model, Network from) {
    List<Network> routable = routable(model, from.tenantId());
    return routable.contains(from)
        ? routable.stream().filter(n -> !n.id().equals(from.id())).toList() : List.of();
  }

  private static boolean overlaps(Network a, Network b) {
    if (b.cidr() == null) {
      return false;
    }
    IPv4AddressWithMask x = IPv4AddressWithMask.of(a.cidr());
    IPv4AddressWithMask y = IPv4AddressWithMask.of(b.cidr());
    return x.contains(y.getValue()) || y.contains(x.getValue());
  }
}
