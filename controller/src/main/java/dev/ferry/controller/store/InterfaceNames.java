package dev.ferry.controller.store;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Names of OVS interfaces a port may be bound to: valid Linux interface names that are not
 * Ferry's own infrastructure on the bridge.
 */
public final class InterfaceNames {

  /** The integration bridge every Ferry host runs (its own internal port has this name too). */
  public static final String BRIDGE = "br-int";
  /** The flow-based VXLAN port on br-int that carries the overlay. */
  public static final String TUNNEL_PORT = "vxlan0";
  /** Linux IFNAMSIZ is 16 bytes including the terminating NUL. */
  public static final int MAX_BYTES = 15;

  private static final Set<String> INFRASTRUCTURE = Set.of(BRIDGE, TUNNEL_PORT);

  private InterfaceNames() {}

  /** Rejects what the kernel would (dev_valid_name) and control characters. */
  public static void checkValid(String name, String field) {
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes == 0 || bytes > MAX_BYTES) {
      throw Rejection.invalid(field, field + " must be 1-" + MAX_BYTES + " bytes (a Linux interface name)");
    }
    if (name.equals(".") || name.equals("..")) {
      throw Rejection.invalid(field, "'" + name + "' is not a valid interface name");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == ':' || Character.isWhitespace(c) || Character.isISOControl(c)
          || Character.isSurrogate(c) || c > 0x7e) {
        throw Rejection.invalid(field, field + " may not contain '/', ':', whitespace, control or non-ASCII"
            + " characters (a Linux interface name)");
      }
    }
  }

  /** Whether a port bound to this interface would take over Ferry's own plumbing. */
  public static boolean isInfrastructure(String name) {
    return INFRASTRUCTURE.contains(name);
  }
}
