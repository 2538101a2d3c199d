package dev.ferry.apps.model;

/**
 * A hypervisor / container host: one OVS br-int that connects to Ferry.
 *
 * @param datapathId br-int's datapath id
 * @param tunnelIp the host's underlay address: VXLAN packets to this host go to it
 * @param uplink north-south attachment, or null
 */
public record Host(String name, long datapathId, String tunnelIp, Uplink uplink, long revision) {

  /**
   * The host's way out.
   *
   * @param interfaceName OVS port on br-int that leads outside
   * @param address external address with prefix, e.g. "203.0.113.2/24"
   * @param nextHop the outside router
   */
  public record Uplink(String interfaceName, String address, String nextHop) {}
}
