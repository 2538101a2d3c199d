package dev.ferry.controller.ops;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Names host commands give to things they create. */
public final class OpsNames {
  private OpsNames() {}

  public static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName().split("\\.")[0];
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read this machine's hostname; pass --name");
    }
  }

  /** 10 hex digits naming a port (network + port name): short enough for 15-character links. */
  public static String portHash(String networkId, String portName) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256")
          .digest((networkId + "/" + portName).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The host end of a port's veth pair, also its OVS port name (12 characters). */
  public static String hostLink(String networkId, String portName) {
    return "fy" + portHash(networkId, portName);
  }

  /** The container end before it is renamed eth0 inside the container. */
  public static String peerLink(String networkId, String portName) {
    return "fc" + portHash(networkId, portName);
  }
}
