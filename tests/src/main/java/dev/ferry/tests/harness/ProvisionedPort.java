package dev.ferry.tests.harness;

/**
 * A port the controller knows about: its network, MAC, IPv4 address, where it is plugged
 * in (datapath id, OpenFlow port number), and the OpenFlow metadata a packet-in from it
 * carries (0 = none; Ferry's pipeline writes the network's VNI there before its packet-in
 * flows, as OVS reports). MAC and IP are raw numbers for the hot path.
 */
public record ProvisionedPort(String network, long mac, int ip, long dpid, int ofPort, long metadata) {
  public ProvisionedPort(String network, long mac, int ip, long dpid, int ofPort) {
    this(network, mac, ip, dpid, ofPort, 0);
  }
}
