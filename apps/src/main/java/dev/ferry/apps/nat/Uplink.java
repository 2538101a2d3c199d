package dev.ferry.apps.nat;

import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.FloatingIp;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Port;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * A host's way out, resolved against the runtime: its uplink's OpenFlow port, the virtual MAC
 * Ferry uses on it, its external address and next hop, and the floating IPs of ports bound on
 * this host (distributed NAT: a floating IP lives where its port lives).
 */
public record Uplink(Host host, int ofPort, MacAddress mac, IPv4Address address,
    IPv4Address nextHop, List<Mapping> floatingIps) {

  /** A floating IP and the local port it maps to. */
  public record Mapping(FloatingIp floatingIp, Port port) {
    public IPv4Address publicIp() {
      return IPv4Address.of(floatingIp.ip());
    }
  }

  /** 02:fd followed by the low 32 bits of the datapath id: per host, never a port's or gateway's. */
  public static MacAddress macOf(Host host) {
    return MacAddress.of(0x02fd00000000L | (host.datapathId() & 0xffffffffL));
  }

  /** The host's uplink when it has one and the switch reports its port. */
  public static Optional<Uplink> of(Model model, Bindings bindings, String hostName) {
    Host host = model.hosts().get(hostName);
    if (host == null || host.uplink() == null) {
      return Optional.empty();
    }
    Host.Uplink u = host.uplink();
    return bindings.ofPort(hostName, u.interfaceName()).stream().boxed().findFirst()
        .map(ofPort -> new Uplink(host, ofPort, macOf(host),
            address(u.address()), IPv4Address.of(u.nextHop()),
            floatingIps(model, bindings, hostName)));
  }

  /** "203.0.113.11/24" -> 203.0.113.11 (IPv4AddressWithMask would give the network, .0). */
  private static IPv4Address address(String withPrefix) {
    int slash = withPrefix.indexOf('/');
    return IPv4Address.of(slash < 0 ? withPrefix : withPrefix.substring(0, slash));
  }

  private static List<Mapping> floatingIps(Model model, Bindings bindings, String hostName) {
    return model.floatingIps().values().stream()
        .filter(f -> f.portId() != null && f.ip() != null)
        .map(f -> new Mapping(f, model.ports().get(f.portId())))
        .filter(m -> m.port() != null && m.port().ip() != null && m.port().mac() != null
            && natsHere(model, bindings, hostName, m.port()))
        .sorted(Comparator.comparing((Mapping m) -> m.floatingIp().ip()))
        .toList();
  }

  /**
   * Whether this host does the port's NAT: the central gateway host of its network, or (when
   * the network has none) the host the port is bound on.
   */
  public static boolean natsHere(Model model, Bindings bindings, String hostName, Port port) {
    var n = model.networks().get(port.networkId());
    if (n == null) {
      return false;
    }
    if (n.gatewayHost() != null) {
      return n.gatewayHost().equals(hostName);
    }
    return hostName.equals(port.host()) && port.interfaceName() != null
        && bindings.ofPort(hostName, port.interfaceName()).isPresent();
  }

  /** The addresses Ferry answers ARP for on this uplink: the host's own and its floating IPs. */
  public boolean owns(IPv4Address ip) {
    return address.equals(ip) || floatingIps.stream().anyMatch(m -> m.publicIp().equals(ip));
  }

  public Optional<Mapping> mappingOfPort(String portId) {
    return floatingIps.stream().filter(m -> m.port().id().equals(portId)).findFirst();
  }
}
