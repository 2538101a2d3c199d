package dev.ferry.controller.trace;

import java.util.List;

/**
 * The answer of a trace: every hop (host, table, the flow matched and its owner), where each
 * copy of the packet ended, one sentence, and in live mode how the switches differ from what
 * Ferry compiled (drift) on the hosts the packet crossed.
 *
 * @param flow the matched flow in ovs-ofctl text (admin only: it names OpenFlow ports and
 *     tunnel addresses); null on a table miss
 * @param flowNamed the same with ports, networks, hosts and owners named
 */
public record TraceAnswer(boolean live, String verdict, String packet, List<Hop> hops,
    List<End> ends, List<Drift> drift) {

  /** @param description the owner in a phrase: "rule web-80 of security group 'web': tcp/80 ..." */
  public record Owner(String app, String kind, String id, String name, String tenant,
      String description) {}

  public record Hop(String host, String table, int tableId, String flow, String flowNamed,
      boolean miss, Owner owner) {}

  /** How one copy of the packet ended: delivered, uplink, controller, dropped, lost, stopped. */
  public record End(String kind, String host, String port, String note) {}

  /** A flow that differs between the compiled desired state and the switch. */
  public record Drift(String host, String kind, String flow, Owner owner) {}
}
