package dev.ferry.apps.packet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * An untagged Ethernet frame carrying IPv4: the header fields the packet apps need and the
 * payload. Options in received packets are skipped; built packets have none. Parsing is
 * total: anything malformed gives empty.
 */
public record Ipv4Frame(MacAddress ethSrc, MacAddress ethDst, IPv4Address src, IPv4Address dst,
    int protocol, int ttl, byte[] payload) {

  public static final int ETHERTYPE = 0x0800;
  public static final int ICMP = 1;
  public static final int UDP = 17;
  private static final int ETH_HEADER = 14;
  private static final int IP_HEADER = 20;
  private static final int MIN_FRAME = 60;

  public static Optional<Ipv4Frame> parse(byte[] frame) {
    if (frame == null || frame.length < ETH_HEADER + IP_HEADER) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(frame);
    MacAddress dst = mac(b);
    MacAddress src = mac(b);
    int versionIhl = frame[ETH_HEADER] & 0xff;
    int headerLength = (versionIhl & 0x0f) * 4;
    int totalLength = b.getShort(ETH_HEADER + 2) & 0xffff;
    if (b.getShort(12) != ETHERTYPE || versionIhl >> 4 != 4 || headerLength < IP_HEADER
        || totalLength < headerLength || ETH_HEADER + totalLength > frame.length) {
      return Optional.empty();
    }
    byte[] payload = Arrays.copyOfRange(frame, ETH_HEADER + headerLength, ETH_HEADER + totalLength);
    return Optional.of(new Ipv4Frame(src, dst, IPv4Address.of(b.getInt(ETH_HEADER + 12)),
        IPv4Address.of(b.getInt(ETH_HEADER + 16)), frame[ETH_HEADER + 9] & 0xff,
        frame[ETH_HEADER + 8] & 0xff, payload));
  }

  public byte[] toFrame() {
    int length = ETH_HEADER + IP_HEADER + payload.length;
    ByteBuffer b = ByteBuffer.allocate(Math.max(MIN_FRAME, length));
    b.put(ethDst.getBytes()).put(ethSrc.getBytes()).putShort((short) ETHERTYPE);
    b.put((byte) 0x45).put((byte) 0).putShort((short) (IP_HEADER + payload.length))
        .putShort((short) 0).putShort((short) 0x4000) // no id; don't fragment
        .put((byte) ttl).put((byte) protocol).putShort((short) 0)
        .put(src.getBytes()).put(dst.getBytes());
    byte[] frame = b.array();
    int checksum = Checksums.internet(frame, ETH_HEADER, IP_HEADER);
    frame[ETH_HEADER + 10] = (byte) (checksum >> 8);
    frame[ETH_HEADER + 11] = (byte) checksum;
    System.arraycopy(payload, 0, frame, ETH_HEADER + IP_HEADER, payload.length);
    return frame;
  }

  private static MacAddress mac(ByteBuffer b) {
    byte[] bytes = new byte[6];
    b.get(bytes);
    return MacAddress.of(bytes);
  }
}
