package dev.ferry.apps.packet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import org.projectfloodlight.openflow.types.IPv4Address;

/** A UDP datagram (RFC 768): ports and payload; the checksum is computed when encoding. */
public record UdpDatagram(int srcPort, int dstPort, byte[] payload) {
  private static final int HEADER = 8;

  public static Optional<UdpDatagram> parse(Ipv4Frame ip) {
    byte[] p = ip.payload();
    if (ip.protocol() != Ipv4Frame.UDP || p.length < HEADER) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(p);
    int length = b.getShort(4) & 0xffff;
    if (length < HEADER || length > p.length) {
      return Optional.empty();
    }
    return Optional.of(new UdpDatagram(b.getShort(0) & 0xffff, b.getShort(2) & 0xffff,
        Arrays.copyOfRange(p, HEADER, length)));
  }

  /** The UDP bytes, checksummed over the IPv4 pseudo-header of src and dst. */
  public byte[] encode(IPv4Address src, IPv4Address dst) {
    int length = HEADER + payload.length;
    byte[] out = ByteBuffer.allocate(length).putShort((short) srcPort).putShort((short) dstPort)
        .putShort((short) length).putShort((short) 0).put(payload).array();
    byte[] pseudo = ByteBuffer.allocate(12).put(src.getBytes()).put(dst.getBytes())
        .put((byte) 0).put((byte) Ipv4Frame.UDP).putShort((short) length).array();
    int checksum = Checksums.fold(Checksums.sum(out, 0, length, Checksums.sum(pseudo, 0, 12, 0)));
    checksum = checksum == 0 ? 0xffff : checksum; // 0 would mean "no checksum"
    out[6] = (byte) (checksum >> 8);
    out[7] = (byte) checksum;
    return out;
  }
}
