package dev.ferry.apps.compile;

import dev.ferry.apps.model.Network;
import dev.ferry.apps.pipeline.Actions;
import dev.ferry.apps.pipeline.FerryApp;
import dev.ferry.apps.pipeline.FlowBuilder;
import dev.ferry.apps.pipeline.Table;
import dev.ferry.southbound.flow.FlowEntry;
import dev.ferry.southbound.flow.MeterEntry;
import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.ICMPv4Type;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.TransportPort;
import dev.ferry.apps.gateway.GatewayMac;

/**
 * Table services: what Ferry answers itself (ARP requests, DHCP, pings to the gateway) goes to
 * the controller through the host's packet-in meter; other packets to the gateway MAC go to
 * the router; everything else continues to L2 forwarding. ARP requests are not flooded:
 * Ferry answers them from the model, so an unknown address simply gets no answer.
 */
final class ServiceFlows {
  static final int TO_CONTROLLER = 100;
  static final int TO_ROUTER = 50;
  static final int CONTINUE = 1;
  /** One meter per host caps every packet-in it sends, whatever the tenant. */
  static final MeterEntry PACKET_IN_METER = new MeterEntry(1, true, 1000, 100);

  private ServiceFlows() {}

  static List<FlowEntry> of(dev.ferry.apps.model.Model model, HostView view) {
    List<FlowEntry> flows = new ArrayList<>();
    for (Network n : view.networks()) {
      flows.add(arpRequest(n));
      if (n.dhcp()) {
        flows.add(dhcp(n));
      }
      if (n.gatewayIp() != null) {
        flows.add(pingGateway(n, n));
        TenantRoutes.targets(model, n).forEach(to -> flows.add(pingGateway(n, to)));
        flows.add(toRouter(n));
      }
      flows.add(next(n));
    }
    flows.add(FlowBuilder.tableMiss(Table.SERVICES, FerryApp.PIPELINE.cookie()));
    return flows;
  }

  private static FlowEntry arpRequest(Network n) {
    return FlowBuilder.in(Table.SERVICES).priority(TO_CONTROLLER)
        .cookie(FerryApp.ARP.cookie(n.id()))
        .network(n.vni())
        .match(MatchField.ETH_TYPE, EthType.ARP)
        .match(MatchField.ARP_OP, ArpOpcode.REQUEST)
        .meter(PACKET_IN_METER.meterId())
        .apply(Actions.toController())
        .build();
  }

  /** Client-to-server DHCP: answered by Ferry, never flooded to the other containers. */
  private static FlowEntry dhcp(Network n) {
    return toController(n, FerryApp.DHCP)
        .match(MatchField.ETH_TYPE, EthType.IPv4)
        .match(MatchField.IP_PROTO, IpProtocol.UDP)
        .match(MatchField.UDP_SRC, TransportPort.of(68))
        .match(MatchField.UDP_DST, TransportPort.of(67))
        .build();
  }

  /** A ping from network n to the gateway address of network to (n itself or a routed one). */
  private static FlowEntry pingGateway(Network n, Network to) {
    return toController(n, FerryApp.GATEWAY)
        .match(MatchField.ETH_DST, GatewayMac.of(n))
        .match(MatchField.ETH_TYPE, EthType.IPv4)
        .match(MatchField.IPV4_DST, IPv4Address.of(to.gatewayIp()))
        .match(MatchField.IP_PROTO, IpProtocol.ICMP)
        .match(MatchField.ICMPV4_TYPE, ICMPv4Type.ECHO)
        .build();
  }

  private static FlowBuilder toController(Network n, FerryApp app) {
    return FlowBuilder.in(Table.SERVICES).priority(TO_CONTROLLER)
        .cookie(app.cookie(n.id()))
        .network(n.vni())
        .meter(PACKET_IN_METER.meterId())
        .apply(Actions.toController());
  }

  /** Everything else sent to the gateway MAC is for the tenant's router. */
  private static FlowEntry toRouter(Network n) {
    return FlowBuilder.in(Table.SERVICES).priority(TO_ROUTER)
        .cookie(FerryApp.GATEWAY.cookie(n.id()))
        .network(n.vni())
        .match(MatchField.ETH_DST, GatewayMac.of(n))
        .gotoTable(Table.ROUTING)
        .build();
  }

  private static FlowEntry next(Network n) {
    return FlowBuilder.in(Table.SERVICES).priority(CONTINUE)
        .cookie(FerryApp.PIPELINE.cookie(n.id()))
        .network(n.vni())
        .gotoTable(Table.L2_FORWARD)
        .build();
  }
}
