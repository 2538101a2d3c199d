package dev.ferry.southbound;

/** Datapath ids as operators read them: eight colon-separated hex bytes. */
public final class Dpid {
  private Dpid() {}

  public static String format(long dpid) {
    StringBuilder text = new StringBuilder(23);
    for (int shift = 56; shift >= 0; shift -= 8) {
      if (text.length() > 0) {
        text.append(':');
      }
      text.append(String.format("%02x", (dpid >>> shift) & 0xFF));
    }
    return text.toString();
  }

  public static long parse(String text) {
    return Long.parseUnsignedLong(text.replace(":", ""), 16);
  }
}
