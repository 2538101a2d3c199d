package dev.ferry.apps.compile;

import dev.ferry.apps.gateway.GatewayMac;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.PairAddresses;
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
          () -> neighbors(to, ports)));
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

  /**
   * Every port's address, and every allowed address pair's address that only one port lists (it
   * can be nowhere else). An address shared by several ports' pairs has no fixed place (the
   * holder changes by gratuitous ARP), so it has no neighbor flow, nor has a port's own address
   * that another port's pair covers.
   */
  private static List<FlowEntry> neighbors(Network to, List<Port> ports) {
    PairAddresses pairs = PairAddresses.of(ports);
    List<FlowEntry> flows = new ArrayList<>();
    ports.stream().filter(p -> p.ip() != null && p.mac() != null)
        .filter(p -> !pairs.covers(IPv4Address.of(p.ip())))
        .sorted(Comparator.comparing(Port::id))
        .forEach(p -> flows.add(neighbor(to, p.id(), IPv4Address.of(p.ip()), p.mac())));
    pairs.fixedPlaces(ports).forEach((ip, mac) -> flows.add(neighbor(to, to.id(), ip, mac)));
    return flows;
  }

  private static FlowEntry neighbor(Network network, String owner, IPv4Address ip, String mac) {
    return FlowBuilder.in(Table.NEIGHBOR).priority(ROUTE)
        .cookie(FerryApp.ROUTING.cookie(owner))
        .network(network.vni())
        .match(MatchField.ETH_TYPE, EthType.IPv4)
        .match(MatchField.IPV4_DST, ip)
        .apply(Actions.setEthDst(MacAddress.of(mac)))
        .gotoTable(Table.L2_FORWARD)
        .build();
  }
}
