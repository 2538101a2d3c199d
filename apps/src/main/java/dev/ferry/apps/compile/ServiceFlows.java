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
import org.projectfloodlight.openflow.types.ICMPv4Code;
import org.projectfloodlight.openflow.types.ICMPv4Type;
import org.projectfloodlight.openflow.types.MacAddress;
import dev.ferry.apps.model.PairAddresses;
import dev.ferry.apps.model.Port;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.TransportPort;
import dev.ferry.apps.gateway.GatewayMac;

/**
 * Table services: what Ferry answers in the datapath (ARP requests for every address it knows
 * in the network, pings to the gateway) is turned into its reply and sent back out of the
 * in_port, so it keeps working while the controller is away; DHCP goes to the controller
 * through the host's packet-in meter; other packets to the gateway MAC go to the router;
 * everything else continues to L2 forwarding. ARP requests are never flooded: one for an
 * address Ferry does not know in this network (unknown, another network's, another tenant's)
 * is dropped.
 */
final class ServiceFlows {
  /** A port's own address asked by itself (duplicate-address probe, gratuitous ARP). */
  static final int OWN_ADDRESS = 110;
  /** An allowed address pair's address: whoever holds it now answers, so the request goes on. */
  static final int PAIR_ADDRESS = 105;
  static final int TO_CONTROLLER = 100;
  static final int ANSWER = 100;
  static final int UNKNOWN_ARP = 90;
  static final int TO_ROUTER = 50;
  static final int CONTINUE = 1;
  /** One meter per host caps every packet-in it sends, whatever the tenant. */
  static final MeterEntry PACKET_IN_METER = new MeterEntry(1, true, 1000, 100);

  private ServiceFlows() {}

  static List<FlowEntry> of(dev.ferry.apps.model.Model model, HostView view, CompileMemo memo) {
    List<FlowEntry> flows = new ArrayList<>();
    for (Network n : view.networks()) {
      List<Port> ports = model.portsOf(n.id());
      List<LocalPort> local = view.localPortsOf(n);
      List<Network> targets = TenantRoutes.targets(model, n);
      // everything this network's fragment reads: the network, its ports, its ports here, its routes
      flows.addAll(memo.get("services", n.id(), List.of(n, ports, local, targets),
          () -> ofNetwork(n, ports, local, targets)));
    }
    flows.add(FlowBuilder.tableMiss(Table.SERVICES, FerryApp.PIPELINE.cookie()));
    return flows;
  }

  private static List<FlowEntry> ofNetwork(Network n, List<Port> ports, List<LocalPort> local,
      List<Network> targets) {
    List<FlowEntry> flows = new ArrayList<>(arpResponder(n, ports, local));
    if (n.dhcp()) {
      flows.add(dhcp(n));
    }
    if (n.gatewayIp() != null) {
      flows.add(pingGateway(n, n));
      targets.forEach(to -> flows.add(pingGateway(n, to)));
      flows.add(toRouter(n));
    }
    flows.add(next(n));
    return List.copyOf(flows);
  }

  /**
   * One answer per address of the network (gateway first, then every port with an IP and MAC,
   * wherever it lives), the same answers {@link dev.ferry.apps.arp.ArpResponder} gives: a
   * local port asking for its own address gets none, and neither does an unknown address.
   * Allowed address pairs' addresses are not answered but flooded (the holder answers).
   */
  private static List<FlowEntry> arpResponder(Network n, List<Port> ports, List<LocalPort> local) {
    List<FlowEntry> flows = new ArrayList<>();
    if (n.gatewayIp() != null) {
      flows.add(arpAnswer(n, FerryApp.ARP.cookie(n.id()), GatewayMac.of(n), IPv4Address.of(n.gatewayIp())));
    }
    PairAddresses pairs = PairAddresses.of(ports);
    for (Port p : ports) {
      if (p.ip() != null && p.mac() != null && !pairs.covers(IPv4Address.of(p.ip()))) {
        flows.add(arpAnswer(n, FerryApp.ARP.cookie(p.id()), MacAddress.of(p.mac()), IPv4Address.of(p.ip())));
      }
    }
    // Never answered from the model: the address moves between its ports by gratuitous ARP.
    // Requests (and gratuitous ones) go to L2 forwarding, i.e. are flooded in the network.
    for (IPv4AddressWithMask pair : pairs.prefixes()) {
      FlowBuilder f = arpRequest(n, FerryApp.ARP.cookie(n.id())).priority(PAIR_ADDRESS);
      (pair.getMask().asCidrMaskLength() == 32 ? f.match(MatchField.ARP_TPA, pair.getValue())
          : f.match(MatchField.ARP_TPA, pair.getValue(), pair.getMask())).gotoTable(Table.L2_FORWARD);
      flows.add(f.build());
    }
    for (LocalPort l : local) {
      if (l.port().ip() != null) {
        flows.add(arpRequest(n, FerryApp.ARP.cookie(l.port().id())).priority(OWN_ADDRESS)
            .match(MatchField.ARP_TPA, IPv4Address.of(l.port().ip()))
            .match(MatchField.ARP_SHA, MacAddress.of(l.port().mac()))
            .drop());
      }
    }
    flows.add(arpRequest(n, FerryApp.ARP.cookie(n.id())).priority(UNKNOWN_ARP).drop());
    return flows;
  }

  private static FlowEntry arpAnswer(Network n, long cookie, MacAddress mac, IPv4Address ip) {
    return arpRequest(n, cookie).priority(ANSWER)
        .match(MatchField.ARP_TPA, ip)
        .apply(Actions.arpReply(mac, ip))
        .build();
  }

  private static FlowBuilder arpRequest(Network n, long cookie) {
    return FlowBuilder.in(Table.SERVICES).cookie(cookie)
        .network(n.vni())
        .match(MatchField.ETH_TYPE, EthType.ARP)
        .match(MatchField.ARP_OP, ArpOpcode.REQUEST);
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

  /**
   * A ping from network n to the gateway address of network to (n itself or a routed one):
   * answered in the datapath from that gateway address and n's gateway MAC.
   */
  private static FlowEntry pingGateway(Network n, Network to) {
    return FlowBuilder.in(Table.SERVICES).priority(ANSWER)
        .cookie(FerryApp.GATEWAY.cookie(n.id()))
        .network(n.vni())
        .match(MatchField.ETH_DST, GatewayMac.of(n))
        .match(MatchField.ETH_TYPE, EthType.IPv4)
        .match(MatchField.IPV4_DST, IPv4Address.of(to.gatewayIp()))
        .match(MatchField.IP_PROTO, IpProtocol.ICMP)
        .match(MatchField.ICMPV4_TYPE, ICMPv4Type.ECHO)
        .match(MatchField.ICMPV4_CODE, ICMPv4Code.of((short) 0))
        .apply(Actions.echoReply(GatewayMac.of(n), IPv4Address.of(to.gatewayIp())))
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
