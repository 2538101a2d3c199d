package dev.ferry.controller.store;

import java.util.regex.Pattern;

/** IPv4 addresses as ints, and parsing that names the field at fault. */
public final class Ipv4 {

  private static final Pattern QUAD = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  private Ipv4() {}

  public static boolean isValid(String text) {
    if (text == null) {
      return false;
    }
    var m = QUAD.matcher(text);
    if (!m.matches()) {
      return false;
    }
    for (int i = 1; i <= 4; i++) {
      if (Integer.parseInt(m.group(i)) > 255) {
        return false;
      }
    }
    return true;
  }

  /** Parses a dotted quad, or rejects it as the value of {@code field}. */
  public static int parse(String text, String field) {
    if (text == null) {
      throw Rejection.invalid(field, field + " is required");
    }
    if (!isValid(text)) {
      throw Rejection.invalid(field, "'" + text + "' is not an IPv4 address (want e.g. 10.0.0.5)");
    }
    String[] parts = text.split("\\.");
    int v = 0;
    for (String p : parts) {
      v = (v << 8) | Integer.parseInt(p);
    }
    return v;
  }

  public static String format(int ip) {
    return ((ip >>> 24) & 255) + "." + ((ip >>> 16) & 255) + "." + ((ip >>> 8) & 255) + "." + (ip & 255);
  }
}
