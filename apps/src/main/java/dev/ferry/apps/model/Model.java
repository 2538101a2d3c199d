package dev.ferry.apps.model;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * An immutable snapshot of the whole network model. Flow compilation is a pure function of a
 * Model and the runtime {@link Bindings}, so a snapshot is all a compiler needs.
 *
 * <p>Snapshots are persistent: their maps (pcollections) and their {@link ModelIndex} share
 * structure, so {@link #with} and {@link #without} make the next snapshot in O(log n) for the
 * changed object and leave the previous one untouched. The store keeps one such model current
 * and hands out its snapshots; a model built from plain maps converts them once.
 *
 * <p>{@code version} is the model version this snapshot shows: the store's number of the last
 * change it contains (0 before the first change; see the controller's Store).
 */
public final class Model {

  public static final Model EMPTY = new Model(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), 0);

  private final PMap<String, Tenant> tenants;
  private final PMap<String, Network> networks;
  private final PMap<String, Port> ports;
  private final PMap<String, Host> hosts;
  private final PMap<String, FloatingIp> floatingIps;
  private final PMap<String, SecurityGroup> securityGroups;
  private final PMap<String, SecurityGroupRule> securityGroupRules;
  private final long version;
  /** Built on first use when this snapshot came from plain maps; handed on by {@link #with}. */
  private volatile ModelIndex index;

  public Model(Map<String, Tenant> tenants, Map<String, Network> networks, Map<String, Port> ports,
      Map<String, Host> hosts, Map<String, FloatingIp> floatingIps,
      Map<String, SecurityGroup> securityGroups, Map<String, SecurityGroupRule> securityGroupRules,
      long version) {
    this(persistent(tenants), persistent(networks), persistent(ports), persistent(hosts),
        persistent(floatingIps), persistent(securityGroups), persistent(securityGroupRules), version, null);
  }

  /** Without security groups: every tenant's implicit default group (see {@link #withDefaultGroups}). */
  public Model(Map<String, Tenant> tenants, Map<String, Network> networks, Map<String, Port> ports,
      Map<String, Host> hosts, Map<String, FloatingIp> floatingIps, long version) {
    this(tenants, networks, ports, hosts, floatingIps, Map.of(), Map.of(), version);
  }

  private Model(PMap<String, Tenant> tenants, PMap<String, Network> networks, PMap<String, Port> ports,
      PMap<String, Host> hosts, PMap<String, FloatingIp> floatingIps,
      PMap<String, SecurityGroup> securityGroups, PMap<String, SecurityGroupRule> securityGroupRules,
      long version, ModelIndex index) {
    this.tenants = tenants;
    this.networks = networks;
    this.ports = ports;
    this.hosts = hosts;
    this.floatingIps = floatingIps;
    this.securityGroups = securityGroups;
    this.securityGroupRules = securityGroupRules;
    this.version = version;
    this.index = index;
  }

  private static <T> PMap<String, T> persistent(Map<String, T> m) {
    if (m instanceof PMap<String, T> p) {
      return p;
    }
    m.forEach((k, v) -> {
      Objects.requireNonNull(k, "key");
      Objects.requireNonNull(v, "value");
    });
    return HashTreePMap.from(m);
  }

  public Map<String, Tenant> tenants() {
    return tenants;
  }

  public Map<String, Network> networks() {
    return networks;
  }

  public Map<String, Port> ports() {
    return ports;
  }

  /** Hosts by name. */
  public Map<String, Host> hosts() {
    return hosts;
  }

  public Map<String, FloatingIp> floatingIps() {
    return floatingIps;
  }

  public Map<String, SecurityGroup> securityGroups() {
    return securityGroups;
  }

  public Map<String, SecurityGroupRule> securityGroupRules() {
    return securityGroupRules;
  }

  public long version() {
    return version;
  }

  /** Builds a snapshot (version 0) from plain lists, keyed by id (hosts by name). */
  public static Model of(
      Collection<Tenant> tenants,
      Collection<Network> networks,
      Collection<Port> ports,
      Collection<Host> hosts,
      Collection<FloatingIp> floatingIps) {
    return new Model(
        index(tenants, Tenant::id),
        index(networks, Network::id),
        index(ports, Port::id),
        index(hosts, Host::name),
        index(floatingIps, FloatingIp::id),
        0);
  }

  /** The same objects labelled with another version (maps and index shared, not copied). */
  public Model withVersion(long newVersion) {
    return new Model(tenants, networks, ports, hosts, floatingIps, securityGroups, securityGroupRules,
        newVersion, index);
  }

  /**
   * This snapshot with one object created or replaced (by id; hosts by name): a tenant,
   * network, port, host, floating IP, security group or rule. O(log n); this snapshot is
   * unchanged and shares everything else with the result.
   */
  public Model with(Object o) {
    return change(o, true);
  }

  /** This snapshot without the object of that kind with that id (absent: an equal snapshot). */
  public Model without(Object o) {
    return change(o, false);
  }

  private Model change(Object o, boolean put) {
    var t = tenants;
    var n = networks;
    var p = ports;
    var h = hosts;
    var f = floatingIps;
    var g = securityGroups;
    var r = securityGroupRules;
    ModelIndex i = index();
    if (o instanceof Tenant x) {
      t = put ? t.plus(x.id(), x) : t.minus(x.id());
      i = i.fresh();
    } else if (o instanceof Network x) {
      i = i.withNetwork(n.get(x.id()), put ? x : null);
      n = put ? n.plus(x.id(), x) : n.minus(x.id());
    } else if (o instanceof Port x) {
      i = i.withPort(p.get(x.id()), put ? x : null);
      p = put ? p.plus(x.id(), x) : p.minus(x.id());
    } else if (o instanceof Host x) {
      i = i.withHost(h.get(x.name()), put ? x : null);
      h = put ? h.plus(x.name(), x) : h.minus(x.name());
    } else if (o instanceof FloatingIp x) {
      f = put ? f.plus(x.id(), x) : f.minus(x.id());
      i = i.fresh();
    } else if (o instanceof SecurityGroup x) {
      g = put ? g.plus(x.id(), x) : g.minus(x.id());
      i = i.fresh();
    } else if (o instanceof SecurityGroupRule x) {
      r = put ? r.plus(x.id(), x) : r.minus(x.id());
      i = i.fresh();
    } else {
      throw new IllegalArgumentException("not a model object: " + o);
    }
    return new Model(t, n, p, h, f, g, r, version, i);
  }

  /** This snapshot with each object put in turn ({@link #with}). */
  public Model withAll(Collection<?> objects) {
    Model m = this;
    for (Object o : objects) {
      m = m.with(o);
    }
    return m;
  }

  /** The same model with these security groups and rules (keyed by id), replacing all others. */
  public Model withSecurityGroups(Collection<SecurityGroup> groups, Collection<SecurityGroupRule> rules) {
    return new Model(tenants, networks, ports, hosts, floatingIps, HashTreePMap.from(index(groups, SecurityGroup::id)),
        HashTreePMap.from(index(rules, SecurityGroupRule::id)), version, freshIndex());
  }

  /** The same model with these groups and rules added (or replaced, by id). */
  public Model withGroupsAndRules(Collection<SecurityGroup> groups, Collection<SecurityGroupRule> rules) {
    return withAll(groups).withAll(rules);
  }

  public Model withRules(Collection<SecurityGroupRule> rules) {
    return withAll(rules);
  }

  /** The same model without this rule. */
  public Model withoutRule(String ruleId) {
    return new Model(tenants, networks, ports, hosts, floatingIps, securityGroups,
        securityGroupRules.minus(ruleId), version, freshIndex());
  }

  /**
   * The same model with each tenant's default group and its two rules (as the store creates
   * them with the tenant) where missing: for models built by hand (tests, benchmarks).
   */
  public Model withDefaultGroups() {
    Model m = this;
    for (Tenant t : tenants.values()) {
      if (!securityGroups.containsKey(SecurityGroup.defaultId(t.id()))) {
        m = m.with(defaultGroup(t.id())).withAll(defaultRules(t.id()));
      }
    }
    return m;
  }

  private ModelIndex freshIndex() {
    ModelIndex i = index;
    return i == null ? null : i.fresh();
  }

  ModelIndex index() {
    ModelIndex i = index;
    if (i == null) {
      i = ModelIndex.of(this);
      index = i; // a race builds two equal indexes; either will do
    }
    return i;
  }

  /** Same objects and version (the index follows from the objects). */
  @Override
  public boolean equals(Object o) {
    return o instanceof Model m && version == m.version && tenants.equals(m.tenants)
        && networks.equals(m.networks) && ports.equals(m.ports) && hosts.equals(m.hosts)
        && floatingIps.equals(m.floatingIps) && securityGroups.equals(m.securityGroups)
        && securityGroupRules.equals(m.securityGroupRules);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tenants, networks, ports, hosts, floatingIps, securityGroups, securityGroupRules, version);
  }

  @Override
  public String toString() {
    return "Model[version=" + version + ", tenants=" + tenants + ", networks=" + networks + ", ports=" + ports
        + ", hosts=" + hosts + ", floatingIps=" + floatingIps + ", securityGroups=" + securityGroups
        + ", securityGroupRules=" + securityGroupRules + "]";
  }

  public static SecurityGroup defaultGroup(String tenantId) {
    return new SecurityGroup(SecurityGroup.defaultId(tenantId), tenantId, SecurityGroup.DEFAULT,
        "Default security group", 1);
  }

  /** Egress to anywhere; ingress from the group's own members. */
  public static List<SecurityGroupRule> defaultRules(String tenantId) {
    String g = SecurityGroup.defaultId(tenantId);
    return List.of(
        new SecurityGroupRule(g + "-egress", g, SecurityGroupRule.EGRESS, null, null, null, null, null, null, null, 1),
        new SecurityGroupRule(g + "-ingress", g, SecurityGroupRule.INGRESS, null, null, null, null, null, null, g, 1));
  }

  private static <T> Map<String, T> index(Collection<T> items, Function<T, String> key) {
    return items.stream().collect(Collectors.toUnmodifiableMap(key, Function.identity()));
  }

  public Optional<Host> hostByDatapathId(long dpid) {
    return Optional.ofNullable(index().hostsByDatapathId.first(dpid));
  }

  public Optional<Network> networkByVni(int vni) {
    return Optional.ofNullable(index().networksByVni.first(vni));
  }

  /** The tenant's networks, by id. */
  public List<Network> networksOf(String tenantId) {
    return index().networksByTenant.all(tenantId);
  }

  public List<Port> portsOf(String networkId) {
    return index().portsByNetwork.all(networkId);
  }

  public List<Port> portsOnHost(String hostName) {
    return index().portsByHost.all(hostName);
  }

  /** The port of this network holding this IPv4 address (raw int), if any. */
  public Optional<Port> portByIp(String networkId, int ipv4) {
    return Optional.ofNullable(index().portsByNetworkIp.first(new ModelIndex.NetworkIp(networkId, ipv4)));
  }

  /** The port placed on this OVS interface of the host, if any. */
  public Optional<Port> portOnInterface(String hostName, String interfaceName) {
    return Optional.ofNullable(
        index().portsByHostInterface.first(new ModelIndex.HostInterface(hostName, interfaceName)));
  }

  /** The MAC of the port of this network holding this IPv4 address (raw int), if any. */
  public Optional<MacAddress> portMacByIp(String networkId, int ipv4) {
    return portByIp(networkId, ipv4).map(Port::mac).map(MacAddress::of);
  }

  /**
   * A value derived from this snapshot alone, computed once per snapshot on first use (the
   * snapshot is immutable, so it never goes stale): e.g. a tenant's routable networks, asked
   * by every network's compile. {@code key} names the value and everything it depends on.
   */
  @SuppressWarnings("unchecked")
  public <T> T derived(String key, Function<Model, T> compute) {
    return (T) index().derived.computeIfAbsent(key, k -> compute.apply(this));
  }

  /** The network's gateway address, parsed; empty when it has none. */
  public Optional<IPv4Address> gatewayAddress(String networkId) {
    return Optional.ofNullable(index().gatewaysByNetwork.get(networkId));
  }
}
