package dev.ferry.apps.compile;

import dev.ferry.apps.gateway.GatewayMac;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.pipeline.Actions;
import dev.ferry.apps.pipeline.FerryApp;
import dev.ferry.apps.pipeline.FlowBuilder;
import dev.ferry.apps.pipeline.NetworkMetadata;
import dev.ferry.apps.pipeline.Table;
import dev.ferry.southbound.flow.FlowEntry;
import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * Table routing: the tenant's distributed router. A packet sent to its network's gateway MAC
 * for the address of a port in another routable network of the same tenant leaves as that
 * network's packet: TTL decremented, source MAC = that network's gateway, destination MAC =
 * the port, metadata = that network; L2 forwarding then delivers it here or over the tunnel.
 * One /32 flow per destination port: an address with no port is dropped, never flooded.
 */
final class RoutingFlows {
  static final int ROUTE = 100;

  private RoutingFlows() {}

  static List<FlowEntry> of(Model model, HostView view) {
    List<FlowEntry> flows = new ArrayList<>();
    for (Network from : view.networks()) {
      for (Network to : TenantRoutes.targets(model, from)) {
        model.portsOf(to.id()).stream().filter(p -> p.ip() != null && p.mac() != null)
            .sorted(java.util.Comparator.comparing(Port::id))
            .forEach(p -> flows.add(route(from, to, p)));
      }
    }
    flows.add(FlowBuilder.tableMiss(Table.ROUTING, FerryApp.PIPELINE.cookie()));
    return flows;
  }

  private static FlowEntry route(Network from, Network to, Port port) {
    return FlowBuilder.in(Table.ROUTING).priority(ROUTE)
        .cookie(FerryApp.ROUTING.cookie(port.id()))
        .network(from.vni())
        .match(MatchField.ETH_TYPE, EthType.IPv4)
        .match(MatchField.IPV4_DST, IPv4Address.of(port.ip()))
        .apply(Actions.decTtl(), Actions.setEthSrc(GatewayMac.of(to)),
            Actions.setEthDst(MacAddress.of(port.mac())))
        .writeMetadata(NetworkMetadata.of(to.vni()), NetworkMetadata.WRITE_MASK)
        .gotoTable(Table.L2_FORWARD)
        .build();
  }
}
