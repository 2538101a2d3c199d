package dev.ferry.controller.store;

import dev.ferry.apps.model.FloatingIp;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.model.Tenant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The committed model in memory, with the indexes that make allocation and uniqueness checks
 * O(1). Readers use the concurrent maps without locks; everything else (and every mutation)
 * belongs to the single writer. Alongside the maps the writer keeps {@link #current}, the
 * persistent model that every mutation updates in O(log n) (Model#with): a snapshot is that
 * model labelled with the version, never a copy of the maps.
 */
final class ModelCache {

  final NavigableMap<String, Tenant> tenants = new ConcurrentSkipListMap<>();
  final NavigableMap<String, Network> networks = new ConcurrentSkipListMap<>();
  final NavigableMap<String, Port> ports = new ConcurrentSkipListMap<>();
  final NavigableMap<String, Host> hosts = new ConcurrentSkipListMap<>();
  final NavigableMap<String, FloatingIp> floatingIps = new ConcurrentSkipListMap<>();
  final NavigableMap<String, ExternalPool> pools = new ConcurrentSkipListMap<>();
  final NavigableMap<String, dev.ferry.apps.model.SecurityGroup> securityGroups = new ConcurrentSkipListMap<>();
  final NavigableMap<String, dev.ferry.apps.model.SecurityGroupRule> securityGroupRules = new ConcurrentSkipListMap<>();
  final Map<String, String> tenantOfTokenHash = new ConcurrentHashMap<>();
  final Map<String, String> hostOfTokenHash = new ConcurrentHashMap<>();

  // Writer-only indexes.
  final Map<String, NetworkUse> useByNetwork = new HashMap<>();
  final Set<Integer> vnis = new HashSet<>();
  final Map<String, String> floatingIpByAddress = new HashMap<>();
  final Map<String, String> floatingIpByPort = new HashMap<>();
  final Map<String, String> portByInterface = new HashMap<>();

  /** The maps' content as a persistent model (writer-only writes; volatile for readers). */
  private volatile Model current = Model.EMPTY;
  private volatile Model snapshot;
  /** The version of the last change applied (writer-only writes; volatile for readers). */
  private volatile long version;

  /** Addresses in use inside one network, and where the next allocation starts looking. */
  static final class NetworkUse {
    final Set<Integer> ips = new HashSet<>();
    final Set<String> macs = new HashSet<>();
    /** Allowed address pairs' own MACs (other than their port's), by the port that lists them. */
    final Map<String, String> pairMacs = new HashMap<>();
    /** Allowed address pairs' single addresses, with how many ports list each: never allocated. */
    final Map<Integer, Integer> pairIps = new HashMap<>();
    int nextIp;
    int ports;
  }

  Model snapshot() {
    Model m = snapshot;
    if (m == null) {
      m = current.withVersion(version);
      snapshot = m;
    }
    return m;
  }

  void putTenant(Tenant t) {
    tenants.put(t.id(), t);
    changed(current.with(t));
  }

  void removeTenant(Tenant t) {
    tenants.remove(t.id());
    tenantOfTokenHash.values().removeIf(t.id()::equals);
    changed(current.without(t));
  }

  void putNetwork(Network n) {
    Network old = networks.put(n.id(), n);
    if (old != null) {
      vnis.remove(old.vni());
    }
    vnis.add(n.vni());
    useByNetwork.computeIfAbsent(n.id(), k -> new NetworkUse());
    changed(current.with(n));
  }

  void removeNetwork(Network n) {
    networks.remove(n.id());
    vnis.remove(n.vni());
    useByNetwork.remove(n.id());
    changed(current.without(n));
  }

  void putPort(Port p) {
    Port old = ports.put(p.id(), p);
    if (old != null) {
      unindexPort(old);
    }
    NetworkUse use = useByNetwork.get(p.networkId());
    use.ips.add(Ipv4.parse(p.ip(), "ip"));
    use.macs.add(p.mac());
    for (var pair : p.allowedAddressPairs()) {
      if (pair.macAddress() != null && !pair.macAddress().equals(p.mac())) {
        use.pairMacs.put(pair.macAddress(), p.id());
      }
      if (!pair.ipAddress().contains("/")) {
        use.pairIps.merge(Ipv4.parse(pair.ipAddress(), "ip"), 1, Integer::sum);
      }
    }
    use.ports++;
    if (p.host() != null && p.interfaceName() != null) {
      portByInterface.put(interfaceKey(p.host(), p.interfaceName()), p.id());
    }
    changed(current.with(p));
  }

  void removePort(Port p) {
    ports.remove(p.id());
    unindexPort(p);
    changed(current.without(p));
  }

  private void unindexPort(Port p) {
    NetworkUse use = useByNetwork.get(p.networkId());
    use.ips.remove(Ipv4.parse(p.ip(), "ip"));
    use.macs.remove(p.mac());
    for (var pair : p.allowedAddressPairs()) {
      if (pair.macAddress() != null) {
        use.pairMacs.remove(pair.macAddress(), p.id());
      }
      if (!pair.ipAddress().contains("/")) {
        use.pairIps.computeIfPresent(Ipv4.parse(pair.ipAddress(), "ip"), (k, n) -> n == 1 ? null : n - 1);
      }
    }
    use.ports--;
    if (p.host() != null && p.interfaceName() != null) {
      portByInterface.remove(interfaceKey(p.host(), p.interfaceName()));
    }
  }

  static String interfaceKey(String host, String interfaceName) {
    return host + "\u0000" + interfaceName;
  }

  void putHost(Host h) {
    hosts.put(h.name(), h);
    changed(current.with(h));
  }

  void removeHost(Host h) {
    hosts.remove(h.name());
    hostOfTokenHash.values().removeIf(h.name()::equals);
    changed(current.without(h));
  }

  void putFloatingIp(FloatingIp f) {
    FloatingIp old = floatingIps.put(f.id(), f);
    if (old != null) {
      unindexFloatingIp(old);
    }
    floatingIpByAddress.put(f.ip(), f.id());
    if (f.portId() != null) {
      floatingIpByPort.put(f.portId(), f.id());
    }
    changed(current.with(f));
  }

  void removeFloatingIp(FloatingIp f) {
    floatingIps.remove(f.id());
    unindexFloatingIp(f);
    changed(current.without(f));
  }

  private void unindexFloatingIp(FloatingIp f) {
    floatingIpByAddress.remove(f.ip());
    if (f.portId() != null) {
      floatingIpByPort.remove(f.portId());
    }
  }

  long version() {
    return version;
  }

  /** The change just applied committed as this version (or, on load, the stored one). */
  void version(long v) {
    version = v;
    snapshot = null;
  }

  void putSecurityGroup(dev.ferry.apps.model.SecurityGroup g) {
    securityGroups.put(g.id(), g);
    changed(current.with(g));
  }

  void removeSecurityGroup(dev.ferry.apps.model.SecurityGroup g) {
    securityGroups.remove(g.id());
    Model m = current.without(g);
    for (var r : java.util.List.copyOf(securityGroupRules.values())) {
      if (r.securityGroupId().equals(g.id())) {
        securityGroupRules.remove(r.id());
        m = m.without(r);
      }
    }
    changed(m);
  }

  void putSecurityGroupRule(dev.ferry.apps.model.SecurityGroupRule r) {
    securityGroupRules.put(r.id(), r);
    changed(current.with(r));
  }

  void removeSecurityGroupRule(dev.ferry.apps.model.SecurityGroupRule r) {
    securityGroupRules.remove(r.id());
    changed(current.without(r));
  }

  void putPool(ExternalPool p) {
    pools.put(p.name(), p);
  }

  void removePool(ExternalPool p) {
    pools.remove(p.name());
  }

  /** The pool whose ranges hold the address, or null (pools' ranges are disjoint). */
  ExternalPool poolOf(int ip) {
    for (ExternalPool p : pools.values()) {
      if (p.holds(ip)) {
        return p;
      }
    }
    return null;
  }

  private void changed(Model now) {
    current = now;
    snapshot = null;
  }
}
