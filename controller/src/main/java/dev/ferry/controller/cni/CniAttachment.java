package dev.ferry.controller.cni;

import dev.ferry.controller.ops.OpsNames;

/**
 * The names one CNI attachment (network, container, interface) gets, derived so that DEL finds
 * everything without state of its own: the host veth (also its OVS port, and the REST port's
 * {@code interface}, which is unique on a host) and the peer's name before it is renamed inside
 * the namespace. Ferry generates the port's id (only the admin may choose ids), so the port is
 * found by this host and that interface.
 */
public record CniAttachment(String hostLink, String peerLink) {
  /** Prefix of the REST port names this plugin gives, so GC touches only its own ports. */
  public static final String PORT_NAME_PREFIX = "cni:";

  public static CniAttachment of(String network, String containerId, String ifname) {
    String key = containerId + "/" + ifname;
    return new CniAttachment(OpsNames.hostLink(network, key), OpsNames.peerLink(network, key));
  }
}
