package dev.ferry.controller.cni;

import dev.ferry.controller.ops.OpsNames;

/**
 * The names one CNI attachment (network, container, interface) gets, derived so that DEL finds
 * them without asking anyone: the REST port's id, the host veth (also its OVS port), the peer's
 * name before it is renamed inside the namespace.
 */
public record CniAttachment(String portId, String hostLink, String peerLink) {
  public static final String PORT_ID_PREFIX = "cni-";

  public static CniAttachment of(String network, String containerId, String ifname) {
    String key = containerId + "/" + ifname;
    return new CniAttachment(PORT_ID_PREFIX + OpsNames.portHash(network, key), OpsNames.hostLink(network, key),
        OpsNames.peerLink(network, key));
  }
}
