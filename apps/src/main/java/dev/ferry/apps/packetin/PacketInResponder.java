package dev.ferry.apps.packetin;

import dev.ferry.apps.arp.ArpResponder;
import dev.ferry.apps.dhcp.DhcpResponder;
import dev.ferry.apps.compile.TenantRoutes;
import dev.ferry.apps.gateway.IcmpEchoResponder;
import dev.ferry.apps.gateway.TimeExceededResponder;
import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import java.util.Optional;

/**
 * The one pure entry point for packet-ins: which network and port the packet came from, then
 * ARP, gateway ping (own gateway or another routed network's), DHCP and ICMP time exceeded
 * for packets whose TTL ran out in the router (OVS's dec_ttl sends those with reason
 * invalid_ttl) answered from the model. The caller sends the reply with a
 * packet-out whose in_port is CONTROLLER and whose action is output to the packet-in's
 * in_port (with in_port set to the port itself, OpenFlow would drop the output).
 */
public final class PacketInResponder {
  private PacketInResponder() {}

  /** The reply frame to send out of inPort, or empty when Ferry has nothing to say. */
  public static Optional<byte[]> respond(Model model, Bindings bindings, String host,
      int inPort, long metadata, byte[] frame) {
    return respond(model, bindings, host, inPort, metadata, frame, DhcpResponder.LEASE_SECONDS);
  }

  /** The same, handing out DHCP leases of this many seconds. */
  public static Optional<byte[]> respond(Model model, Bindings bindings, String host,
      int inPort, long metadata, byte[] frame, int dhcpLeaseSeconds) {
    Optional<Port> port = PacketInNetwork.portAt(model, bindings, host, inPort);
    if (port.isEmpty()) {
      return Optional.empty(); // Ferry's packet-in flows only take packets from local ports
    }
    Optional<Network> network = PacketInNetwork.resolve(model, bindings, host, inPort, metadata, port);
    if (network.isEmpty()) {
      return Optional.empty(); // metadata names another network than the port's: refuse
    }
    Network n = network.get();
    return ArpResponder.answer(model, n, frame)
        .or(() -> IcmpEchoResponder.answer(n, TenantRoutes.targets(model, n), frame))
        .or(() -> TimeExceededResponder.answer(n, frame))
        .or(() -> DhcpResponder.answer(n, port.get(), frame, dhcpLeaseSeconds));
  }
}
