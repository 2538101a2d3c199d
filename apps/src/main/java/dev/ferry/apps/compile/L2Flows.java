package dev.ferry.apps.compile;

import dev.ferry.apps.model.Network;
import dev.ferry.apps.pipeline.Actions;
import dev.ferry.apps.pipeline.FerryApp;
import dev.ferry.apps.pipeline.FlowBuilder;
import dev.ferry.apps.pipeline.Table;
import dev.ferry.southbound.flow.FlowEntry;
import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * Table l2_forward: known MACs of the network (ports' own and their address pairs' MACs) go
 * to their port, here or through the tunnel;
 * broadcast and multicast go to the network's flood group; unknown unicast is dropped. Packets
 * that came from the tunnel never go back into it: remote-MAC flows and the full flood group
 * match only packets without the from-tunnel bit.
 */
final class L2Flows {
  static final int UNICAST = 100;
  static final int FLOOD = 50;
  static final MacAddress MULTICAST_BIT = MacAddress.of("01:00:00:00:00:00");

  private L2Flows() {}

  static List<FlowEntry> of(HostView view, CompileMemo memo) {
    List<FlowEntry> flows = new ArrayList<>();
    view.localPorts().forEach(p -> flows.addAll(memo.get("l2-local", p.port().id(), p,
        () -> p.port().macs().stream().map(mac -> toLocal(p, mac)).toList())));
    // remote ports are sorted by network first, so per-network fragments keep the order
    view.vxlanOfPort().ifPresent(vxlan -> view.remoteByNetwork().forEach((network, remote) ->
        flows.addAll(memo.get("l2-remote", network, List.of(remote, vxlan),
            () -> remote.stream().flatMap(r -> r.port().macs().stream().map(mac -> toRemote(r, mac, vxlan)))
                .toList()))));
    for (Network n : view.networks()) {
      boolean tunnel = view.vxlanOfPort().isPresent();
      flows.addAll(memo.get("l2-flood", n.id(), List.of(n, tunnel), () -> tunnel
          ? List.of(flood(n, false, FloodGroups.floodGroupId(n.vni())),
              flood(n, true, FloodGroups.localFloodGroupId(n.vni())))
          : List.of(flood(n, false, FloodGroups.floodGroupId(n.vni())))));
    }
    flows.add(FlowBuilder.tableMiss(Table.L2_FORWARD, FerryApp.PIPELINE.cookie()));
    return flows;
  }

  /** The port's own MAC, or an allowed address pair's MAC (the store keeps those unique in the network). */
  private static FlowEntry toLocal(LocalPort p, String mac) {
    FlowBuilder f = FlowBuilder.in(Table.L2_FORWARD).priority(UNICAST)
        .cookie(FerryApp.L2.cookie(p.port().id()))
        .network(p.network().vni())
        .match(MatchField.ETH_DST, MacAddress.of(mac));
    return SecurityGroupFlows.guarded(p) ? f.gotoTable(Table.INGRESS_CT).build()
        : f.apply(Actions.output(p.ofPort())).build();
  }

  private static FlowEntry toRemote(RemotePort r, String mac, int vxlanOfPort) {
    return FlowBuilder.in(Table.L2_FORWARD).priority(UNICAST)
        .cookie(FerryApp.L2.cookie(r.port().id()))
        .network(r.network().vni(), false)
        .match(MatchField.ETH_DST, MacAddress.of(mac))
        .apply(Actions.tunnel(r.network().vni(), r.host().tunnelIp(), vxlanOfPort))
        .build();
  }

  private static FlowEntry flood(Network n, boolean fromTunnel, long groupId) {
    return FlowBuilder.in(Table.L2_FORWARD).priority(FLOOD)
        .cookie(FerryApp.L2.cookie(n.id()))
        .network(n.vni(), fromTunnel)
        .match(MatchField.ETH_DST, MULTICAST_BIT, MULTICAST_BIT)
        .apply(Actions.group(groupId))
        .build();
  }
}
