package dev.ferry.controller.store;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Ethernet addresses: parsing and Ferry's locally administered allocation prefix. */
public final class Macs {

  /** OpenStack's fa:16:3e: locally administered, unicast, well known to operators. */
  public static final String PREFIX = "fa:16:3e";
  private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

  private Macs() {}

  /** Lower-cases and checks a MAC given by a client. */
  public static String normalize(String text, String field) {
    String mac = text.toLowerCase(Locale.ROOT).replace('-', ':');
    if (!MAC.matcher(mac).matches()) {
      throw Rejection.invalid(field, "'" + text + "' is not a MAC address (want e.g. fa:16:3e:00:00:01)");
    }
    if ((Integer.parseInt(mac.substring(0, 2), 16) & 1) != 0) {
      throw Rejection.invalid(field, "'" + text + "' is a multicast MAC; a port needs a unicast one");
    }
    if (mac.equals("00:00:00:00:00:00")) {
      throw Rejection.invalid(field, "the all-zero MAC is not a valid port address");
    }
    return mac;
  }

  /** Ferry's own MACs: 02:fe (gateway, per VNI) and 02:fd (uplink, per host); never a port's. */
  public static boolean isFerrys(String normalized) {
    return normalized.startsWith("02:fe:") || normalized.startsWith("02:fd:");
  }

  public static String random() {
    int r = ThreadLocalRandom.current().nextInt(1 << 24);
    return String.format("%s:%02x:%02x:%02x", PREFIX, (r >> 16) & 255, (r >> 8) & 255, r & 255);
  }
}
