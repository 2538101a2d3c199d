package dev.ferry.apps.gateway;

import dev.ferry.apps.model.Network;
import dev.ferry.apps.packet.Checksums;
import dev.ferry.apps.packet.Ipv4Frame;
import java.util.Arrays;
import java.util.Optional;
import org.projectfloodlight.openflow.types.IPv4Address;

/**
 * The router's answer to a packet whose TTL ran out on the way through it: ICMP time exceeded
 * (type 11, code 0) from the sender's gateway, quoting the expired packet's IP header and
 * first 8 payload bytes (RFC 792), so traceroute shows the gateway as a hop. Pure.
 *
 * <p>Only packets sent to the network's gateway MAC for another address, with TTL 0 or 1,
 * are answered; never ICMP errors (RFC 1812 4.3.2.7: no error about an error).
 */
public final class TimeExceededResponder {
  static final int TIME_EXCEEDED = 11;
  private static final int ETH_HEADER = 14;
  private static final int TTL = 64;

  private TimeExceededResponder() {}

  public static Optional<byte[]> answer(Network network, byte[] expiredFrame) {
    if (network.gatewayIp() == null) {
      return Optional.empty();
    }
    return Ipv4Frame.parse(expiredFrame)
        .filter(ip -> isExpiredThroughGateway(network, ip))
        .map(ip -> reply(network, ip, quote(expiredFrame)).toFrame());
  }

  private static boolean isExpiredThroughGateway(Network network, Ipv4Frame ip) {
    return ip.ttl() <= 1
        && ip.ethDst().equals(GatewayMac.of(network))
        && !ip.dst().equals(IPv4Address.of(network.gatewayIp()))
        && !isIcmpError(ip);
  }

  private static boolean isIcmpError(Ipv4Frame ip) {
    if (ip.protocol() != Ipv4Frame.ICMP || ip.payload().length == 0) {
      return false;
    }
    int type = ip.payload()[0] & 0xff;
    return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
  }

  /** The expired packet's IP header (with options) and up to 8 bytes after it. */
  private static byte[] quote(byte[] frame) {
    int headerLength = (frame[ETH_HEADER] & 0x0f) * 4;
    int totalLength = ((frame[ETH_HEADER + 2] & 0xff) << 8) | (frame[ETH_HEADER + 3] & 0xff);
    int quoted = Math.min(totalLength, headerLength + 8);
    return Arrays.copyOfRange(frame, ETH_HEADER, ETH_HEADER + quoted);
  }

  private static Ipv4Frame reply(Network network, Ipv4Frame expired, byte[] quote) {
    byte[] icmp = new byte[8 + quote.length];
    icmp[0] = TIME_EXCEEDED;
    System.arraycopy(quote, 0, icmp, 8, quote.length);
    int checksum = Checksums.internet(icmp, 0, icmp.length);
    icmp[2] = (byte) (checksum >> 8);
    icmp[3] = (byte) checksum;
    return new Ipv4Frame(GatewayMac.of(network), expired.ethSrc(),
        IPv4Address.of(network.gatewayIp()), expired.src(), Ipv4Frame.ICMP, TTL, icmp);
  }
}
