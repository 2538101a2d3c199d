package dev.ferry.apps.compile;

import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What one host's compile needs, resolved once: its bound local ports, the networks they are
 * in (only these are classified and flooded here), the networks its distributed router may
 * send into ({@link TenantRoutes}), and the ports of all of those on other known hosts.
 *
 * <p>Remote ports need only a known host with a tunnel IP, not a binding: the remote switch
 * drops what it cannot deliver, and this host's flows stay put while a peer reconnects.
 *
 * <p>{@code localByNetwork} and {@code remoteByNetwork} are the same ports grouped by network id
 * (in their lists' order), so a network's fragment reads only its own ports.
 */
public record HostView(
    Host host,
    OptionalInt vxlanOfPort,
    List<LocalPort> localPorts,
    List<Network> networks,
    List<Network> routedTo,
    List<RemotePort> remotePorts,
    Map<String, List<LocalPort>> localByNetwork,
    Map<String, List<RemotePort>> remoteByNetwork) {

  /** The flow-based VXLAN port every host has on br-int (DESIGN: host bootstrap). */
  public static final String VXLAN_INTERFACE = "vxlan0";

  public static HostView of(Model model, Bindings bindings, String hostName) {
    Host host = model.hosts().get(hostName);
    if (host == null) {
      throw new IllegalArgumentException("unknown host " + hostName);
    }
    List<LocalPort> local = localPorts(model, bindings, hostName);
    List<Network> networks = local.stream().map(LocalPort::network).distinct()
        .sorted(Comparator.comparingInt(Network::vni)).toList();
    List<Network> routedTo = networks.stream()
        .flatMap(n -> TenantRoutes.targets(model, n).stream())
        .filter(n -> !networks.contains(n)).distinct()
        .sorted(Comparator.comparingInt(Network::vni)).toList();
    List<Network> reachable = java.util.stream.Stream.of(networks, routedTo, gatewayed(model, hostName))
        .flatMap(List::stream).distinct().toList();
    List<RemotePort> remote = remotePorts(model, reachable, hostName);
    return new HostView(host, bindings.ofPort(hostName, VXLAN_INTERFACE), local, networks,
        routedTo, remote, byNetwork(local, l -> l.network().id()),
        byNetwork(remote, r -> r.network().id()));
  }

  /** Grouped once per compile, so per-network lookups do not scan the whole host (order kept). */
  private static <T> Map<String, List<T>> byNetwork(List<T> items,
      java.util.function.Function<T, String> network) {
    Map<String, List<T>> grouped = new java.util.LinkedHashMap<>();
    items.forEach(i -> grouped.computeIfAbsent(network.apply(i), k -> new java.util.ArrayList<>()).add(i));
    grouped.replaceAll((k, v) -> List.copyOf(v));
    return java.util.Collections.unmodifiableMap(grouped);
  }

  /** Networks whose north-south traffic this host carries for every host (central gateway). */
  public static List<Network> gatewayed(Model model, String hostName) {
    return model.networks().values().stream()
        .filter(n -> hostName.equals(n.gatewayHost()) && n.gatewayIp() != null)
        .sorted(Comparator.comparingInt(Network::vni)).toList();
  }

  /** Networks whose packets this host's router may produce: local ones and routed-to ones. */
  public List<Network> reachableNetworks() {
    return java.util.stream.Stream.concat(networks.stream(), routedTo.stream()).toList();
  }

  private static List<LocalPort> localPorts(Model model, Bindings bindings, String hostName) {
    return model.portsOnHost(hostName).stream()
        .filter(p -> p.interfaceName() != null && p.mac() != null
            && model.networks().containsKey(p.networkId()))
        .filter(p -> bindings.ofPort(hostName, p.interfaceName()).isPresent())
        .map(p -> new LocalPort(p, model.networks().get(p.networkId()),
            bindings.ofPort(hostName, p.interfaceName()).getAsInt()))
        .sorted(Comparator.comparingInt(LocalPort::ofPort))
        .toList();
  }

  private static List<RemotePort> remotePorts(
      Model model, List<Network> networks, String hostName) {
    return networks.stream()
        .flatMap(n -> model.portsOf(n.id()).stream().map(p -> remote(model, n, p, hostName)))
        .filter(Objects::nonNull)
        .sorted(Comparator.comparingInt((RemotePort r) -> r.network().vni())
            .thenComparing(r -> r.port().mac()).thenComparing(r -> r.port().id()))
        .toList();
  }

  private static RemotePort remote(Model model, Network n, Port p, String hostName) {
    if (p.host() == null || p.host().equals(hostName) || p.mac() == null) {
      return null;
    }
    Host other = model.hosts().get(p.host());
    return other == null || other.tunnelIp() == null ? null : new RemotePort(p, n, other);
  }

  public List<LocalPort> localPortsOf(Network network) {
    return localByNetwork.getOrDefault(network.id(), List.of());
  }

  public List<RemotePort> remotePortsOf(Network network) {
    return remoteByNetwork.getOrDefault(network.id(), List.of());
  }

  /** Other hosts with ports of this network, by name: one flood bucket each. */
  public List<Host> remoteHostsOf(Network network) {
    return remotePortsOf(network).stream().map(RemotePort::host).distinct()
        .sorted(Comparator.comparing(Host::name)).toList();
  }
}
