package dev.ferry.controller.engine;

import org.projectfloodlight.openflow.protocol.OFAsyncSet;
import org.projectfloodlight.openflow.protocol.OFFactory;

/**
 * The asynchronous messages Ferry wants from a switch: OpenFlow 1.3's defaults plus packet-ins
 * with reason invalid_ttl. The router's dec_ttl sends a packet whose TTL ran out to the
 * controller with that reason, and Ferry answers ICMP time exceeded (traceroute). OF1.3
 * dropped OF1.2's OFPC_INVALID_TTL_TO_CONTROLLER config flag (OVS refuses it in SET_CONFIG);
 * SET_ASYNC is its replacement. It replaces the whole configuration, so all masks are given.
 */
final class AsyncConfig {
  private static final long NO_MATCH = 1 << 0;
  private static final long ACTION = 1 << 1;
  private static final long INVALID_TTL = 1 << 2;
  private static final long PORT_ADD_DELETE_MODIFY = 0b111;
  private static final long FLOW_REMOVED_ALL = 0b1111;

  private AsyncConfig() {}

  static OFAsyncSet of(OFFactory factory) {
    return factory.buildAsyncSet()
        .setPacketInMaskEqualMaster(NO_MATCH | ACTION | INVALID_TTL)
        .setPacketInMaskSlave(0)
        .setPortStatusMaskEqualMaster(PORT_ADD_DELETE_MODIFY)
        .setPortStatusMaskSlave(PORT_ADD_DELETE_MODIFY)
        .setFlowRemovedMaskEqualMaster(FLOW_REMOVED_ALL)
        .setFlowRemovedMaskSlave(0)
        .build();
  }
}
