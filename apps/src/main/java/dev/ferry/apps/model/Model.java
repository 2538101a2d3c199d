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
    long version) {

  public static final Model EMPTY = new Model(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), 0);

  public Model {
    tenants = Map.copyOf(tenants);
    networks = Map.copyOf(networks);
    ports = Map.copyOf(ports);
    hosts = Map.copyOf(hosts);
    floatingIps = Map.copyOf(floatingIps);
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
    return new Model(tenants, networks, ports, hosts, floatingIps, newVersion);
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
