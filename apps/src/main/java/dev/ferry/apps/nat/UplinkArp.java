package dev.ferry.apps.nat;

import dev.ferry.apps.packet.ArpPacket;
import java.util.Optional;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * ARP on a host's uplink, pure: Ferry answers for the host's external address and its
 * floating IPs with the uplink's virtual MAC, asks for the next hop's MAC itself, learns the
 * answer, and announces floating IPs with gratuitous ARP when they appear or move.
 */
public final class UplinkArp {
  private UplinkArp() {}

  /** The reply to an outside request for one of the uplink's addresses. */
  public static Optional<byte[]> answer(Uplink uplink, byte[] frame) {
    return ArpPacket.parse(frame)
        .filter(p -> p.op() == ArpPacket.REQUEST && !p.spa().equals(p.tpa()))
        .filter(p -> uplink.owns(p.tpa()))
        .map(p -> p.replyFrom(uplink.mac()).toFrame());
  }

  /** The next hop's MAC when this frame is its ARP (reply, or request it sent) from its address. */
  public static Optional<MacAddress> nextHopMac(Uplink uplink, byte[] frame) {
    return ArpPacket.parse(frame)
        .filter(p -> p.spa().equals(uplink.nextHop()))
        .map(ArpPacket::sha);
  }

  /** Broadcast request "who has nextHop, tell address" out of the uplink. */
  public static byte[] resolveNextHop(Uplink uplink) {
    return new ArpPacket(uplink.mac(), MacAddress.BROADCAST, ArpPacket.REQUEST, uplink.mac(),
        uplink.address(), MacAddress.NONE, uplink.nextHop()).toFrame();
  }

  /** Gratuitous ARP request announcing ip at the uplink's MAC (updates neighbours' caches). */
  public static byte[] announce(Uplink uplink, IPv4Address ip) {
    return new ArpPacket(uplink.mac(), MacAddress.BROADCAST, ArpPacket.REQUEST, uplink.mac(), ip,
        MacAddress.NONE, ip).toFrame();
  }
}
