package dev.ferry.tests.harness;

import io.netty.buffer.ByteBuf;

/**
 * Matches a controller's packet-out to the packet-in it answers when there is no buffer id:
 * an ARP request and its reply (or its flooded copy) share the key (asker IP, asked IP); any
 * other frame is keyed by its source MAC, which the cbench workload makes random per probe.
 */
public final class ProbeKeys {
  static final int ETH_ARP = 0x0806;

  private ProbeKeys() {}

  public static long arpKey(int askerIp, int askedIp) {
    return ((askerIp & 0xffffffffL) << 32) | (askedIp & 0xffffffffL);
  }

  public static long macKey(long mac) {
    return mac & 0xffffffffffffL;
  }

  /** Key of a frame at {@code offset} in {@code buf}, or -1 if it is too short to tell. */
  public static long of(ByteBuf buf, int offset, int length) {
    if (length < 14) {
      return -1;
    }
    if (buf.getUnsignedShort(offset + 12) == ETH_ARP && length >= 42) {
      int op = buf.getUnsignedShort(offset + 20);
      int spa = buf.getInt(offset + 28);
      int tpa = buf.getInt(offset + 38);
      return op == 2 ? arpKey(tpa, spa) : arpKey(spa, tpa);
    }
    return macKey(buf.getLong(offset + 4)); // low 48 bits = bytes 6..11, the source MAC
  }

  public static long of(byte[] frame) {
    return of(io.netty.buffer.Unpooled.wrappedBuffer(frame), 0, frame.length);
  }
}
