package dev.ferry.apps.packet;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * An Ethernet/IPv4 ARP packet in an untagged Ethernet frame (RFC 826). Parsing is total: any
 * frame that is not a well-formed Ethernet/IPv4 ARP gives empty, never an exception, since
 * packet-ins carry whatever a container sent.
 */
public record ArpPacket(
    MacAddress ethSrc, MacAddress ethDst, int op,
    MacAddress sha, IPv4Address spa, MacAddress tha, IPv4Address tpa) {

  public static final int REQUEST = 1;
  public static final int REPLY = 2;
  public static final int ETHERTYPE = 0x0806;
  private static final int FRAME_LENGTH = 14 + 28;
  /** Ethernet's minimum frame length without FCS; shorter frames are padded with zeros. */
  private static final int MIN_FRAME = 60;

  public static Optional<ArpPacket> parse(byte[] frame) {
    if (frame == null || frame.length < FRAME_LENGTH) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(frame);
    MacAddress dst = mac(b);
    MacAddress src = mac(b);
    if (u16(b) != ETHERTYPE || u16(b) != 1 || u16(b) != 0x0800 || b.get() != 6 || b.get() != 4) {
      return Optional.empty();
    }
    int op = u16(b);
    return Optional.of(new ArpPacket(src, dst, op, mac(b), ip(b), mac(b), ip(b)));
  }

  public byte[] toFrame() {
    ByteBuffer b = ByteBuffer.allocate(MIN_FRAME);
    b.put(ethDst.getBytes()).put(ethSrc.getBytes()).putShort((short) ETHERTYPE);
    b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4);
    b.putShort((short) op);
    b.put(sha.getBytes()).put(spa.getBytes()).put(tha.getBytes()).put(tpa.getBytes());
    return b.array();
  }

  /** The reply to this request saying that tpa is at mac. */
  public ArpPacket replyFrom(MacAddress mac) {
    return new ArpPacket(mac, sha, REPLY, mac, tpa, sha, spa);
  }

  private static MacAddress mac(ByteBuffer b) {
    byte[] bytes = new byte[6];
    b.get(bytes);
    return MacAddress.of(bytes);
  }

  private static IPv4Address ip(ByteBuffer b) {
    return IPv4Address.of(b.getInt());
  }

  private static int u16(ByteBuffer b) {
    return b.getShort() & 0xffff;
  }
}
