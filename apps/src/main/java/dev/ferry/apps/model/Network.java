package dev.ferry.apps.model;

import java.util.List;

/**
 * One tenant L2 segment, carried between hosts as one VXLAN VNI.
 *
 * @param cidr IPv4 prefix, e.g. "172.17.42.0/24"
 * @param gatewayIp dotted quad inside cidr
 * @param mtu interface MTU handed to containers (1450 = 1500 underlay less VXLAN's 50)
 * @param gatewayHost when set, north-south traffic of this network goes over the overlay to
 *     this host (the central gateway design); when null, every host NATs its own ports
 */
public record Network(
    String id,
    String tenantId,
    String name,
    int vni,
    String cidr,
    String gatewayIp,
    boolean dhcp,
    int mtu,
    List<String> dnsServers,
    String gatewayHost,
    long revision) {

  public Network {
    dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
  }
}
