package dev.ferry.apps.gateway;

import dev.ferry.apps.model.Network;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * The virtual router MAC of a network's gateway: 02:fe:00 followed by the 24-bit VNI. Locally
 * administered, the same on every host (the gateway is distributed: each host answers for
 * it), and distinct per network. Ports must not use the 02:fe:00 prefix.
 */
public final class GatewayMac {
  public static final long PREFIX = 0x02fe00L << 24;

  private GatewayMac() {}

  public static MacAddress of(Network network) {
    return of(network.vni());
  }

  public static MacAddress of(int vni) {
    return MacAddress.of(PREFIX | (vni & 0xffffffL));
  }

  public static boolean isGateway(MacAddress mac) {
    return (mac.getLong() & ~0xffffffL) == PREFIX;
  }
}
