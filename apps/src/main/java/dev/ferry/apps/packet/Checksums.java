package dev.ferry.apps.packet;

/** The Internet checksum (RFC 1071) used by IPv4, ICMP and UDP. */
public final class Checksums {
  private Checksums() {}

  public static int internet(byte[] data, int offset, int length) {
    return fold(sum(data, offset, length, 0));
  }

  static long sum(byte[] data, int offset, int length, long start) {
    long sum = start;
    for (int i = 0; i + 1 < length; i += 2) {
      sum += ((data[offset + i] & 0xff) << 8) | (data[offset + i + 1] & 0xff);
    }
    if ((length & 1) == 1) {
      sum += (data[offset + length - 1] & 0xff) << 8;
    }
    return sum;
  }

  static int fold(long sum) {
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return (int) (~sum & 0xffff);
  }
}
