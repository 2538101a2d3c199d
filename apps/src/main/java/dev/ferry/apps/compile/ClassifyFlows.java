package dev.ferry.apps.compile;

import dev.ferry.apps.model.Network;
import dev.ferry.apps.pipeline.FerryApp;
import dev.ferry.apps.pipeline.FlowBuilder;
import dev.ferry.apps.pipeline.NetworkMetadata;
import dev.ferry.apps.pipeline.Table;
import dev.ferry.southbound.flow.FlowEntry;
import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

/** Table classify: which network a packet is in; everything unknown is dropped here. */
final class ClassifyFlows {
  private ClassifyFlows() {}

  static List<FlowEntry> of(HostView view, CompileMemo memo) {
    List<FlowEntry> flows = new ArrayList<>();
    view.localPorts().forEach(
        p -> flows.add(memo.get("classify-port", p.port().id(), p, () -> fromPort(p))));
    view.vxlanOfPort().ifPresent(vxlan -> view.networks().forEach(n -> flows.add(
        memo.get("classify-tunnel", n.id(), List.of(n, vxlan), () -> fromTunnel(n, vxlan)))));
    flows.add(FlowBuilder.tableMiss(Table.CLASSIFY, FerryApp.PIPELINE.cookie()));
    return flows;
  }

  private static FlowEntry fromPort(LocalPort p) {
    return FlowBuilder.in(Table.CLASSIFY).priority(100)
        .cookie(FerryApp.CLASSIFY.cookie(p.port().id()))
        .match(MatchField.IN_PORT, OFPort.of(p.ofPort()))
        .writeMetadata(NetworkMetadata.of(p.network().vni()), NetworkMetadata.WRITE_MASK)
        .gotoTable(Table.PORT_SECURITY)
        .build();
  }

  /** Only VNIs of networks with ports here are accepted: the rest is not ours to deliver. */
  private static FlowEntry fromTunnel(Network n, int vxlanOfPort) {
    return FlowBuilder.in(Table.CLASSIFY).priority(100)
        .cookie(FerryApp.CLASSIFY.cookie(n.id()))
        .match(MatchField.IN_PORT, OFPort.of(vxlanOfPort))
        .match(MatchField.TUNNEL_ID, U64.of(n.vni()))
        .writeMetadata(NetworkMetadata.of(n.vni()) | NetworkMetadata.FROM_TUNNEL,
            NetworkMetadata.WRITE_MASK)
        .gotoTable(Table.L2_FORWARD)
        .build();
  }
}
