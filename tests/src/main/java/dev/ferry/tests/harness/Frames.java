package dev.ferry.tests.harness;

import java.nio.ByteBuffer;

/** Ethernet frames the workloads put into packet-ins (60 bytes, the minimum frame). */
public final class Frames {
  static final int MIN_FRAME = 60;

  private Frames() {}

  /** An IPv4/UDP frame from {@code src} to {@code dst}, as cbench sends. */
  public static byte[] udp(long dst, long src) {
    ByteBuffer b = ByteBuffer.allocate(MIN_FRAME);
    putMac(b, dst);
    putMac(b, src);
    b.putShort((short) 0x0800);
    b.put((byte) 0x45).put((byte) 0).putShort((short) 46).putShort((short) 0).putShort((short) 0);
    b.put((byte) 64).put((byte) 17).putShort((short) 0);
    b.putInt(0xc0a80001).putInt(0xc0a80002);
    b.putShort((short) 5000).putShort((short) 5001).putShort((short) 26).putShort((short) 0);
    return b.array();
  }

  /** A broadcast ARP request: who has {@code askedIp}, tell {@code askerIp} at {@code askerMac}. */
  public static byte[] arpRequest(long askerMac, int askerIp, int askedIp) {
    ByteBuffer b = ByteBuffer.allocate(MIN_FRAME);
    putMac(b, 0xffffffffffffL);
    putMac(b, askerMac);
    b.putShort((short) ProbeKeys.ETH_ARP);
    b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1);
    putMac(b, askerMac);
    b.putInt(askerIp);
    putMac(b, 0);
    b.putInt(askedIp);
    return b.array();
  }

  private static void putMac(ByteBuffer b, long mac) {
    b.putShort((short) (mac >>> 32)).putInt((int) mac);
  }
}
