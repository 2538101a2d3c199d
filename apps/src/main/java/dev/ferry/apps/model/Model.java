package dev.ferry.apps.model;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * An immutable snapshot of the whole network model. Flow compilation is a pure function of a
 * Model and the runtime {@link Bindings}, so a snapshot is all a compiler needs.
 *
 * @param version the model version this snapshot shows: the store's number of the last change
 *     it contains (0 before the first change; see the controller's Store)
 */
public record Model(
    Map<String, Tenant> tenants,
    Map<String, Network> networks,
    Map<String, Port> ports,
    Map<String, Host> hosts,
    Map<String, FloatingIp> floatingIps,
    Map<String, SecurityGroup> securityGroups,
    Map<String, SecurityGroupRule> securityGroupRules,
    long version) {

  public static final Model EMPTY = new Model(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), 0);

  /** Without security groups: every tenant's implicit default group (see {@link #withDefaultGroups}). */
  public Model(Map<String, Tenant> tenants, Map<String, Network> networks, Map<String, Port> ports,
      Map<String, Host> hosts, Map<String, FloatingIp> floatingIps, long version) {
    this(tenants, networks, ports, hosts, floatingIps, Map.of(), Map.of(), version);
  }

  public Model {
    tenants = Map.copyOf(tenants);
    networks = Map.copyOf(networks);
    ports = Map.copyOf(ports);
    hosts = Map.copyOf(hosts);
    floatingIps = Map.copyOf(floatingIps);
    securityGroups = Map.copyOf(securityGroups);
    securityGroupRules = Map.copyOf(securityGroupRules);
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

  /** The same objects labelled with another version (the maps are shared, not copied). */
  public Model withVersion(long newVersion) {
    return new Model(tenants, networks, ports, hosts, floatingIps, securityGroups, securityGroupRules, newVersion);
  }

  /** The same model with these security groups and rules (keyed by id). */
  public Model withSecurityGroups(Collection<SecurityGroup> groups, Collection<SecurityGroupRule> rules) {
    return new Model(tenants, networks, ports, hosts, floatingIps, index(groups, SecurityGroup::id),
        index(rules, SecurityGroupRule::id), version);
  }

  /** The same model with these groups and rules added (or replaced, by id). */
  public Model withGroupsAndRules(Collection<SecurityGroup> groups, Collection<SecurityGroupRule> rules) {
    Map<String, SecurityGroup> g = new java.util.HashMap<>(securityGroups);
    groups.forEach(x -> g.put(x.id(), x));
    Map<String, SecurityGroupRule> r = new java.util.HashMap<>(securityGroupRules);
    rules.forEach(x -> r.put(x.id(), x));
    return new Model(tenants, networks, ports, hosts, floatingIps, g, r, version);
  }

  public Model withRules(Collection<SecurityGroupRule> rules) {
    return withGroupsAndRules(List.of(), rules);
  }

  /** The same model without this rule. */
  public Model withoutRule(String ruleId) {
    Map<String, SecurityGroupRule> r = new java.util.HashMap<>(securityGroupRules);
    r.remove(ruleId);
    return new Model(tenants, networks, ports, hosts, floatingIps, securityGroups, r, version);
  }

  /**
   * The same model with each tenant's default group and its two rules (as the store creates
   * them with the tenant) where missing: for models built by hand (tests, benchmarks).
   */
  public Model withDefaultGroups() {
    Map<String, SecurityGroup> groups = new java.util.HashMap<>(securityGroups);
    Map<String, SecurityGroupRule> rules = new java.util.HashMap<>(securityGroupRules);
    for (Tenant t : tenants.values()) {
      String id = SecurityGroup.defaultId(t.id());
      if (groups.putIfAbsent(id, defaultGroup(t.id())) == null) {
        defaultRules(t.id()).forEach(r -> rules.put(r.id(), r));
      }
    }
    return new Model(tenants, networks, ports, hosts, floatingIps, groups, rules, version);
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
    return Optional.ofNullable(ModelIndex.of(this).hostsByDatapathId.get(dpid));
  }

  public Optional<Network> networkByVni(int vni) {
    return Optional.ofNullable(ModelIndex.of(this).networksByVni.get(vni));
  }

  public List<Port> portsOf(String networkId) {
    return ModelIndex.of(this).portsByNetwork.getOrDefault(networkId, List.of());
  }

  public List<Port> portsOnHost(String hostName) {
    return ModelIndex.of(this).portsByHost.getOrDefault(hostName, List.of());
  }

  /** The port of this network holding this IPv4 address (raw int), if any. */
  public Optional<Port> portByIp(String networkId, int ipv4) {
    Map<Integer, Port> byIp = ModelIndex.of(this).portsByNetworkIp.get(networkId);
    return byIp == null ? Optional.empty() : Optional.ofNullable(byIp.get(ipv4));
  }

  /** The port placed on this OVS interface of the host, if any. */
  public Optional<Port> portOnInterface(String hostName, String interfaceName) {
    Map<String, Port> byName = ModelIndex.of(this).portsByHostInterface.get(hostName);
    return byName == null ? Optional.empty() : Optional.ofNullable(byName.get(interfaceName));
  }

  /** The MAC of the port of this network holding this IPv4 address (raw int), if any. */
  public Optional<MacAddress> portMacByIp(String networkId, int ipv4) {
    Map<Integer, MacAddress> byIp = ModelIndex.of(this).macsByNetworkIp.get(networkId);
    return byIp == null ? Optional.empty() : Optional.ofNullable(byIp.get(ipv4));
  }

  /**
   * A value derived from this snapshot alone, computed once per snapshot on first use (the
   * snapshot is immutable, so it never goes stale): e.g. a tenant's routable networks, asked
   * by every network's compile. {@code key} names the value and everything it depends on.
   */
  @SuppressWarnings("unchecked")
  public <T> T derived(String key, Function<Model, T> compute) {
    return (T) ModelIndex.of(this).derived.computeIfAbsent(key, k -> compute.apply(this));
  }

  /** The network's gateway address, parsed; empty when it has none. */
  public Optional<IPv4Address> gatewayAddress(String networkId) {
    return Optional.ofNullable(ModelIndex.of(this).gatewaysByNetwork.get(networkId));
  }
}
