package dev.ferry.controller.ops;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Predicate;

/** Defaults host-setup derives when the operator does not say: datapath id and datapath type. */
public final class HostIdentity {
  private HostIdentity() {}

  /**
   * A stable datapath id for a host name: 48 bits of SHA-256("ferry-host:" + name), so the same
   * host always gets the same id and two names practically never collide.
   */
  public static String derivedDatapathId(String hostName) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256")
          .digest(("ferry-host:" + hostName).getBytes(StandardCharsets.UTF_8));
      return "0000" + HexFormat.of().formatHex(h, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** "16 hex digits, colons allowed" -> 16 lower-case hex digits. */
  public static String normalizeDatapathId(String text) {
    String hex = text.replace(":", "").toLowerCase(Locale.ROOT);
    if (!hex.matches("[0-9a-f]{1,16}")) {
      throw new IllegalArgumentException("--datapath-id must be up to 16 hex digits (colons allowed): " + text);
    }
    return "0".repeat(16 - hex.length()) + hex;
  }

  /**
   * "system" when the kernel has the openvswitch module (loaded, or loadable as modprobe -n
   * says), else the userspace datapath "netdev".
   */
  public static String datapathType(Predicate<Path> exists, Commands commands) {
    if (exists.test(Path.of("/sys/module/openvswitch"))) {
      return "system";
    }
    return commands.run(java.util.List.of("modprobe", "-n", "openvswitch")).ok() ? "system" : "netdev";
  }

  public static String datapathType() {
    return datapathType(Files::exists, Commands.SYSTEM);
  }
}
