package dev.ferry.controller.ops;

/**
 * One port to plug into a namespace: everything the attach commands need, already resolved
 * from REST (addresses allocated, network's MTU and gateway known).
 *
 * @param hostLink the veth end that stays on the host and becomes an OVS port on br-int
 * @param peerLink the other end's name until it is renamed eth0 inside the namespace
 * @param prefixLength of the network's CIDR
 * @param gatewayIp null: no default route
 * @param dhcp configure the address with a DHCP client instead of statically
 * @param device the interface's name inside the namespace (attach: eth0; CNI: CNI_IFNAME)
 */
public record AttachSpec(NetnsTarget netns, String hostLink, String peerLink, String mac, String ip,
    int prefixLength, String gatewayIp, int mtu, boolean dhcp, String device) {
  public static final String DEVICE = "eth0";

  /** ferry attach's spec: the device is eth0. */
  public AttachSpec(NetnsTarget netns, String hostLink, String peerLink, String mac, String ip,
      int prefixLength, String gatewayIp, int mtu, boolean dhcp) {
    this(netns, hostLink, peerLink, mac, ip, prefixLength, gatewayIp, mtu, dhcp, DEVICE);
  }
}
