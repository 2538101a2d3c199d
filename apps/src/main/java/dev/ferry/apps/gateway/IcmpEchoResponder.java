package dev.ferry.apps.gateway;

import dev.ferry.apps.model.Network;
import dev.ferry.apps.packet.Checksums;
import dev.ferry.apps.packet.Ipv4Frame;
import java.util.Optional;
import org.projectfloodlight.openflow.types.IPv4Address;

/**
 * Answers ICMP echo requests (ping) addressed to a network's gateway IP and MAC, so containers
 * can ping their gateway. Pure: request frame in, reply frame out (or empty).
 */
public final class IcmpEchoResponder {
  private static final int ECHO_REPLY = 0;
  private static final int ECHO_REQUEST = 8;
  private static final int TTL = 64;

  private IcmpEchoResponder() {}

  public static Optional<byte[]> answer(Network network, byte[] requestFrame) {
    return answer(network, java.util.List.of(), requestFrame);
  }

  /**
   * Also answers for the gateways of the networks this one routes to: the tenant's router
   * owns all of them, so a container may ping any of its tenant's gateways through its own.
   */
  public static Optional<byte[]> answer(Network network, java.util.List<Network> routedTo,
      byte[] requestFrame) {
    return Ipv4Frame.parse(requestFrame)
        .filter(ip -> isEchoToGateway(network, routedTo, ip))
        .map(ip -> reply(network, ip).toFrame());
  }

  private static boolean isEchoToGateway(Network network, java.util.List<Network> routedTo,
      Ipv4Frame ip) {
    byte[] icmp = ip.payload();
    return ip.protocol() == Ipv4Frame.ICMP
        && (isGatewayOf(network, ip.dst())
            || routedTo.stream().anyMatch(n -> isGatewayOf(n, ip.dst())))
        && ip.ethDst().equals(GatewayMac.of(network))
        && icmp.length >= 8 && (icmp[0] & 0xff) == ECHO_REQUEST && icmp[1] == 0
        && Checksums.internet(icmp, 0, icmp.length) == 0;
  }

  private static boolean isGatewayOf(Network n, IPv4Address address) {
    return n.gatewayIp() != null && IPv4Address.of(n.gatewayIp()).equals(address);
  }

  /** Same identifier, sequence and data; type 0; fresh checksum; back to the sender. */
  private static Ipv4Frame reply(Network network, Ipv4Frame request) {
    byte[] icmp = request.payload().clone();
    icmp[0] = ECHO_REPLY;
    icmp[2] = 0;
    icmp[3] = 0;
    int checksum = Checksums.internet(icmp, 0, icmp.length);
    icmp[2] = (byte) (checksum >> 8);
    icmp[3] = (byte) checksum;
    return new Ipv4Frame(GatewayMac.of(network), request.ethSrc(), request.dst(), request.src(),
        Ipv4Frame.ICMP, TTL, icmp);
  }
}
