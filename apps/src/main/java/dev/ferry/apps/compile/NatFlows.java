package dev.ferry.apps.compile;

import dev.ferry.apps.gateway.GatewayMac;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.nat.Uplink;
import dev.ferry.apps.pipeline.Actions;
import dev.ferry.apps.pipeline.FerryApp;
import dev.ferry.apps.pipeline.FlowBuilder;
import dev.ferry.apps.pipeline.NetworkMetadata;
import dev.ferry.apps.pipeline.Table;
import dev.ferry.southbound.flow.FlowEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.ferry.apps.nat.SnatAddresses;
import dev.ferry.southbound.nicira.NiciraConntrack;
import org.projectfloodlight.openflow.types.U32;
import java.util.Optional;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * North-south on a host with an uplink (distributed NAT, the seed's first IGW design):
 * classify answers outside ARP requests for the uplink's address and floating IPs in the
 * datapath, sends the rest of the uplink's ARP (the next hop's answers) to the controller and translates packets for a floating IP
 * of a local port straight into that port's network; routing hands packets of local ports for
 * addresses outside all of the tenant's networks to the nat table, which rewrites a port's
 * private source to its floating IP and sends it to the next hop. Stateless both ways.
 * Without a resolved next hop MAC nothing leaves (the nat table drops).
 */
final class NatFlows {
  static final int UPLINK_ARP_ANSWER = 120;
  static final int UPLINK_ARP = 110;
  static final int FLOATING_IN = 100;
  static final int TENANT_DESTINATION = 20;
  static final int OUTSIDE = 10;
  static final int FLOATING_OUT = 100;
  static final int SNAT_OUT = 50;
  static final int SNAT_REPLY = 90;
  static final int SNAT_REPLY_TRACKED = 95;
  /** The host's one SNAT conntrack zone (tenants are kept apart by their NAT addresses). */
  static final int SNAT_ZONE = 1;
  static final int CT_ESTABLISHED = 0x02;
  static final int CT_TRACKED = 0x20;

  private NatFlows() {}

  static List<FlowEntry> of(Model model, HostView view, Optional<Uplink> uplink,
      Optional<MacAddress> nextHop) {
    List<FlowEntry> flows = new ArrayList<>(toCentralGateways(model, view));
    uplink.ifPresent(u -> flows.addAll(north(model, view, u, nextHop)));
    flows.add(FlowBuilder.tableMiss(Table.NAT, FerryApp.PIPELINE.cookie()));
    return flows;
  }

  private static List<FlowEntry> north(Model model, HostView view, Uplink u,
      Optional<MacAddress> nextHop) {
    List<FlowEntry> flows = new ArrayList<>();
    flows.add(uplinkArpAnswer(u, FerryApp.NAT.cookie(u.host().name()), u.address()));
    u.floatingIps().forEach(m -> flows.add(uplinkArpAnswer(u, FerryApp.NAT.cookie(m.floatingIp().id()), m.publicIp())));
    flows.add(uplinkArp(u));
    u.floatingIps().forEach(m -> flows.add(floatingIn(model, u, m)));
    for (Network n : view.networks()) {
      if (n.gatewayIp() != null && n.gatewayHost() == null) {
        flows.addAll(outbound(model, n, view.localPortsOf(n).stream().map(LocalPort::port).toList()));
      }
    }
    for (Network n : HostView.gatewayed(model, u.host().name())) {
      view.vxlanOfPort().ifPresent(vxlan -> flows.add(fromTunnelToRouter(n, vxlan)));
      flows.addAll(outbound(model, n, model.portsOf(n.id()).stream()
          .sorted(java.util.Comparator.comparing(Port::id)).toList()));
    }
    nextHop.ifPresent(mac -> u.floatingIps().forEach(m -> flows.add(floatingOut(model, u, m, mac))));
    flows.addAll(snat(model, view, u, nextHop));
    return flows;
  }

  /**
   * Central gateway design: a local port of a network whose gateway host is another host sends
   * what is for the outside over the tunnel, unchanged (to the gateway MAC), to that host.
   */
  private static List<FlowEntry> toCentralGateways(Model model, HostView view) {
    List<FlowEntry> flows = new ArrayList<>();
    for (Network n : view.networks()) {
      dev.ferry.apps.model.Host gw = n.gatewayHost() == null ? null : model.hosts().get(n.gatewayHost());
      if (gw == null || gw.name().equals(view.host().name()) || gw.tunnelIp() == null
          || n.gatewayIp() == null || view.vxlanOfPort().isEmpty()) {
        continue;
      }
      flows.addAll(tenantDestinations(model, n));
      for (LocalPort p : view.localPortsOf(n)) {
        if (p.port().ip() != null) {
          flows.add(routing(n, OUTSIDE, p.port().id())
              .match(MatchField.IPV4_SRC, IPv4Address.of(p.port().ip()))
              .apply(Actions.tunnel(n.vni(), gw.tunnelIp(), view.vxlanOfPort().getAsInt()))
              .build());
        }
      }
    }
    return flows;
  }

  /** On the central gateway host: tunnelled packets to the network's gateway MAC are routed here. */
  private static FlowEntry fromTunnelToRouter(Network n, int vxlanOfPort) {
    return FlowBuilder.in(Table.CLASSIFY).priority(UPLINK_ARP)
        .cookie(FerryApp.NAT.cookie(n.id()))
        .match(MatchField.IN_PORT, OFPort.of(vxlanOfPort))
        .match(MatchField.TUNNEL_ID, org.projectfloodlight.openflow.types.U64.of(n.vni()))
        .match(MatchField.ETH_DST, GatewayMac.of(n))
        .writeMetadata(NetworkMetadata.of(n.vni()) | NetworkMetadata.FROM_TUNNEL,
            NetworkMetadata.WRITE_MASK)
        .gotoTable(Table.ROUTING)
        .build();
  }

  /** ARP on the uplink: requests for our addresses and the next hop's answers. */
  /** "Who has ip?" from outside, for an address the uplink owns: answered by the switch. */
  private static FlowEntry uplinkArpAnswer(Uplink u, long cookie, IPv4Address ip) {
    return FlowBuilder.in(Table.CLASSIFY).priority(UPLINK_ARP_ANSWER)
        .cookie(cookie)
        .match(MatchField.IN_PORT, OFPort.of(u.ofPort()))
        .match(MatchField.ETH_TYPE, EthType.ARP)
        .match(MatchField.ARP_OP, org.projectfloodlight.openflow.types.ArpOpcode.REQUEST)
        .match(MatchField.ARP_TPA, ip)
        .apply(Actions.arpReply(u.mac(), ip))
        .build();
  }

  private static FlowEntry uplinkArp(Uplink u) {
    return FlowBuilder.in(Table.CLASSIFY).priority(UPLINK_ARP)
        .cookie(FerryApp.NAT.cookie(u.host().name()))
        .match(MatchField.IN_PORT, OFPort.of(u.ofPort()))
        .match(MatchField.ETH_TYPE, EthType.ARP)
        .meter(ServiceFlows.PACKET_IN_METER.meterId())
        .apply(Actions.toController())
        .build();
  }

  private static FlowEntry floatingIn(Model model, Uplink u, Uplink.Mapping m) {
    Network n = model.networks().get(m.port().networkId());
    return FlowBuilder.in(Table.CLASSIFY).priority(FLOATING_IN)
        .cookie(FerryApp.NAT.cookie(m.floatingIp().id()))
        .match(MatchField.IN_PORT, OFPort.of(u.ofPort()))
        .match(MatchField.ETH_TYPE, EthType.IPv4)
        .match(MatchField.IPV4_DST, m.publicIp())
        .apply(Actions.decTtl(), Actions.setIpv4Dst(IPv4Address.of(m.port().ip())),
            Actions.setEthSrc(GatewayMac.of(n)), Actions.setEthDst(MacAddress.of(m.port().mac())))
        .writeMetadata(NetworkMetadata.of(n.vni()), NetworkMetadata.WRITE_MASK)
        .gotoTable(Table.L2_FORWARD)
        .build();
  }

  /**
   * Routed packets of these ports leave through nat unless they are for one of the tenant's
   * own networks (those are routed or dropped, never NATed).
   */
  private static List<FlowEntry> outbound(Model model, Network n, List<Port> ports) {
    List<FlowEntry> flows = new ArrayList<>(tenantDestinations(model, n));
    for (Port p : ports) {
      if (p.ip() != null) {
        flows.add(routing(n, OUTSIDE, p.id())
            .match(MatchField.IPV4_SRC, IPv4Address.of(p.ip()))
            .gotoTable(Table.NAT).build());
      }
    }
    return flows;
  }

  private static List<FlowEntry> tenantDestinations(Model model, Network n) {
    List<FlowEntry> flows = new ArrayList<>();
    model.networks().values().stream()
        .filter(t -> n.tenantId().equals(t.tenantId()) && t.cidr() != null)
        .sorted(java.util.Comparator.comparingInt(Network::vni))
        .forEach(t -> flows.add(routing(n, TENANT_DESTINATION, t.id())
            .match(MatchField.IPV4_DST, IPv4AddressWithMask.of(t.cidr()).getValue(),
                IPv4AddressWithMask.of(t.cidr()).getMask())
            .drop()));
    return flows;
  }

  private static FlowBuilder routing(Network n, int priority, String owner) {
    return FlowBuilder.in(Table.ROUTING).priority(priority)
        .cookie(FerryApp.NAT.cookie(owner))
        .network(n.vni())
        .match(MatchField.ETH_TYPE, EthType.IPv4);
  }

  /**
   * Ports without a floating IP share the uplink address: stage one rewrites the source to the
   * port's own NAT address (stateless), stage two is conntrack SNAT to the uplink address in the
   * host's zone. Replies to the uplink address are un-NATed by conntrack and come back to
   * classify, where the NAT address names the port: destination, MACs and network restored.
   */
  private static List<FlowEntry> snat(Model model, HostView view, Uplink u,
      Optional<MacAddress> nextHop) {
    List<LocalPort> ports = java.util.stream.Stream.concat(
            view.localPorts().stream().filter(p -> p.network().gatewayHost() == null),
            HostView.gatewayed(model, u.host().name()).stream().flatMap(n -> model.portsOf(n.id())
                // remote ports of a network this host is the central gateway of: no OpenFlow port here
                .stream().map(p -> new LocalPort(p, n, -1))))
        .filter(p -> p.port().ip() != null && p.port().mac() != null
            && p.network().gatewayIp() != null && u.mappingOfPort(p.port().id()).isEmpty())
        .sorted(java.util.Comparator.comparing((LocalPort p) -> p.port().id()))
        .toList();
    if (ports.isEmpty()) {
      return List.of();
    }
    Map<String, IPv4Address> natAddresses =
        SnatAddresses.of(ports.stream().map(p -> p.port().id()).toList());
    List<FlowEntry> flows = new ArrayList<>();
    flows.add(replyToConntrack(u));
    for (LocalPort p : ports) {
      IPv4Address nat = natAddresses.get(p.port().id());
      flows.add(replyToPort(u, p, nat));
      nextHop.ifPresent(mac -> flows.add(snatOut(u, p, nat, mac)));
    }
    return flows;
  }

  private static FlowEntry replyToConntrack(Uplink u) {
    return FlowBuilder.in(Table.CLASSIFY).priority(SNAT_REPLY)
        .cookie(FerryApp.NAT.cookie(u.host().name()))
        .match(MatchField.IN_PORT, OFPort.of(u.ofPort()))
        .match(MatchField.CONN_TRACKING_STATE, U32.of(0), U32.of(CT_TRACKED))
        .match(MatchField.ETH_TYPE, EthType.IPv4)
        .match(MatchField.IPV4_DST, u.address())
        .apply(NiciraConntrack.unNat(SNAT_ZONE, Table.CLASSIFY.id()))
        .build();
  }

  private static FlowEntry replyToPort(Uplink u, LocalPort p, IPv4Address nat) {
    return FlowBuilder.in(Table.CLASSIFY).priority(SNAT_REPLY_TRACKED)
        .cookie(FerryApp.NAT.cookie(p.port().id()))
        .match(MatchField.IN_PORT, OFPort.of(u.ofPort()))
        .match(MatchField.CONN_TRACKING_STATE, U32.of(CT_TRACKED | CT_ESTABLISHED),
            U32.of(CT_TRACKED | CT_ESTABLISHED))
        .match(MatchField.ETH_TYPE, EthType.IPv4)
        .match(MatchField.IPV4_DST, nat)
        .apply(Actions.decTtl(), Actions.setIpv4Dst(IPv4Address.of(p.port().ip())),
            Actions.setEthSrc(GatewayMac.of(p.network())),
            Actions.setEthDst(MacAddress.of(p.port().mac())))
        .writeMetadata(NetworkMetadata.of(p.network().vni()), NetworkMetadata.WRITE_MASK)
        .gotoTable(Table.L2_FORWARD)
        .build();
  }

  private static FlowEntry snatOut(Uplink u, LocalPort p, IPv4Address nat, MacAddress nextHop) {
    return FlowBuilder.in(Table.NAT).priority(SNAT_OUT)
        .cookie(FerryApp.NAT.cookie(p.port().id()))
        .network(p.network().vni())
        .match(MatchField.ETH_TYPE, EthType.IPv4)
        .match(MatchField.IPV4_SRC, IPv4Address.of(p.port().ip()))
        .apply(Actions.decTtl(), Actions.setIpv4Src(nat),
            NiciraConntrack.commitSnat(SNAT_ZONE, u.address()),
            Actions.setEthSrc(u.mac()), Actions.setEthDst(nextHop), Actions.output(u.ofPort()))
        .build();
  }

  private static FlowEntry floatingOut(Model model, Uplink u, Uplink.Mapping m, MacAddress nextHop) {
    Port port = m.port();
    Network n = model.networks().get(port.networkId());
    return FlowBuilder.in(Table.NAT).priority(FLOATING_OUT)
        .cookie(FerryApp.NAT.cookie(m.floatingIp().id()))
        .network(n.vni())
        .match(MatchField.ETH_TYPE, EthType.IPv4)
        .match(MatchField.IPV4_SRC, IPv4Address.of(port.ip()))
        .apply(Actions.decTtl(), Actions.setIpv4Src(m.publicIp()), Actions.setEthSrc(u.mac()),
            Actions.setEthDst(nextHop), Actions.output(u.ofPort()))
        .build();
  }
}
