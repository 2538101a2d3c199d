package dev.ferry.controller.store;

import java.util.Locale;

/** OpenFlow datapath ids: 16 hex digits on the wire, colons accepted on input. */
public final class DatapathId {

  private DatapathId() {}

  public static long parse(String text, String field) {
    String hex = text == null ? "" : text.replace(":", "").toLowerCase(Locale.ROOT);
    if (!hex.matches("[0-9a-f]{16}")) {
      throw Rejection.invalid(field, "'" + text
          + "' is not a datapath id (want 16 hex digits, e.g. 0000000000000001 or 00:00:00:00:00:00:00:01)");
    }
    return Long.parseUnsignedLong(hex, 16);
  }

  public static String format(long dpid) {
    return String.format("%016x", dpid);
  }
}
