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
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;
import java.util.List;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * Tables routing and neighbor: the tenant's distributed router. A packet sent to its network's
 * gateway MAC for an address in another routable network of the same tenant leaves as that
 * network's packet: TTL decremented, source MAC = that network's gateway, metadata = that
 * network (routing, one flow per pair of networks); then the neighbor table sets the
 * destination MAC of the port that has the address (one flow per port of a network this host
 * routes to), and L2 forwarding delivers it here or over the tunnel. An address with no port
 * misses the neighbor table and is dropped, never flooded. Two stages keep the table linear in
 * ports: one stage per port and pair of networks would grow with networks squared.
 */
final class RoutingFlows {
  static final int ROUTE = 100;

  private RoutingFlows() {}

  static List<FlowEntry> of(Model model, HostView view, CompileMemo memo) {
    List<FlowEntry> flows = new ArrayList<>();
    Set<Network> reachable = new TreeSet<>(Comparator.comparingInt(Network::vni));
    for (Network from : view.networks()) {
      List<Network> targets = TenantRoutes.targets(model, from);
      flows.addAll(memo.get("routes", from.id(), List.of(from, targets),
          () -> targets.stream().map(to -> route(from, to)).toList()));
      reachable.addAll(targets);
    }
    for (Network to : reachable) {
      List<Port> ports = model.portsOf(to.id());
      flows.addAll(memo.get("neighbors", to.id(), List.of(to, ports),
          () -> ports.stream().filter(p -> p.ip() != null && p.mac() != null)
              .sorted(Comparator.comparing(Port::id))
              .map(p -> neighbor(to, p)).toList()));
    }
    flows.add(FlowBuilder.tableMiss(Table.ROUTING, FerryApp.PIPELINE.cookie()));
    flows.add(FlowBuilder.tableMiss(Table.NEIGHBOR, FerryApp.PIPELINE.cookie()));
    return flows;
  }

  private static FlowEntry route(Network from, Network to) {
    IPv4AddressWithMask cidr = IPv4AddressWithMask.of(to.cidr());
    return FlowBuilder.in(Table.ROUTING).priority(ROUTE)
        .cookie(FerryApp.ROUTING.cookie(to.id()))
        .network(from.vni())
        .match(MatchField.ETH_TYPE, EthType.IPv4)
        .match(MatchField.IPV4_DST, cidr.getValue().and(cidr.getMask()), cidr.getMask())
        .apply(Actions.decTtl(), Actions.setEthSrc(GatewayMac.of(to)))
        .writeMetadata(NetworkMetadata.of(to.vni()), NetworkMetadata.WRITE_MASK)
        .gotoTable(Table.NEIGHBOR)
        .build();
  }

  private static FlowEntry neighbor(Network network, Port port) {
    return FlowBuilder.in(Table.NEIGHBOR).priority(ROUTE)
        .cookie(FerryApp.ROUTING.cookie(port.id()))
        .network(network.vni())
        .match(MatchField.ETH_TYPE, EthType.IPv4)
        .match(MatchField.IPV4_DST, IPv4Address.of(port.ip()))
        .apply(Actions.setEthDst(MacAddress.of(port.mac())))
        .gotoTable(Table.L2_FORWARD)
        .build();
  }
}
