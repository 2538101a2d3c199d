package dev.ferry.apps.compile;

import dev.ferry.apps.model.AddressPair;
import dev.ferry.apps.model.PairAddresses;
import dev.ferry.apps.pipeline.FerryApp;
import dev.ferry.apps.pipeline.FlowBuilder;
import dev.ferry.apps.pipeline.Table;
import dev.ferry.southbound.flow.FlowEntry;
import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TransportPort;

/**
 * Table port_security: a secured port may send IPv4 and ARP only from its own MAC and IP, or
 * from one of its allowed address pairs' (IP or prefix, with the pair's MAC), plus DHCP
 * discovery from 0.0.0.0; whatever else it sends is dropped by a per-port flow.
 */
final class PortSecurityFlows {
  static final int ALLOW = 100;
  static final int DENY = 10;

  private PortSecurityFlows() {}

  static List<FlowEntry> of(HostView view, CompileMemo memo) {
    List<FlowEntry> flows = new ArrayList<>();
    for (LocalPort p : view.localPorts()) {
      flows.addAll(memo.get("port-security", p.port().id(), p,
          () -> p.port().portSecurity() ? secured(p) : List.of(open(p))));
    }
    flows.add(FlowBuilder.tableMiss(Table.PORT_SECURITY, FerryApp.PIPELINE.cookie()));
    return flows;
  }

  /** A port without an address yet may only ask DHCP for one. */
  private static List<FlowEntry> secured(LocalPort p) {
    if (p.port().ip() == null) {
      return List.of(dhcpDiscovery(p), from(p).priority(DENY).drop());
    }
    List<FlowEntry> flows = new ArrayList<>(List.of(
        ipv4(p).match(MatchField.IPV4_SRC, IPv4Address.of(p.port().ip())).gotoTable(Table.EGRESS_CT).build(),
        dhcpDiscovery(p),
        allow(p).match(MatchField.ETH_TYPE, EthType.ARP)
            .match(MatchField.ARP_SPA, IPv4Address.of(p.port().ip()))
            .match(MatchField.ARP_SHA, MacAddress.of(p.port().mac())).build()));
    for (AddressPair pair : p.port().allowedAddressPairs()) {
      MacAddress mac = MacAddress.of(pair.macOr(p.port().mac()));
      IPv4AddressWithMask ip = PairAddresses.prefix(pair.ipAddress());
      flows.add(source(allowFrom(p, mac).match(MatchField.ETH_TYPE, EthType.IPv4), MatchField.IPV4_SRC, ip)
          .gotoTable(Table.EGRESS_CT).build());
      flows.add(source(allowFrom(p, mac).match(MatchField.ETH_TYPE, EthType.ARP), MatchField.ARP_SPA, ip)
          .match(MatchField.ARP_SHA, mac).build());
    }
    flows.add(from(p).priority(DENY).drop());
    return flows;
  }

  /** A single address as an exact match (as OVS reads it back), a prefix as a masked one. */
  private static FlowBuilder source(FlowBuilder f, MatchField<IPv4Address> field, IPv4AddressWithMask ip) {
    return ip.getMask().asCidrMaskLength() == 32 ? f.match(field, ip.getValue())
        : f.match(field, ip.getValue(), ip.getMask());
  }

  private static FlowEntry dhcpDiscovery(LocalPort p) {
    return ipv4(p).match(MatchField.IPV4_SRC, IPv4Address.NONE)
        .match(MatchField.IP_PROTO, IpProtocol.UDP)
        .match(MatchField.UDP_SRC, TransportPort.of(68))
        .match(MatchField.UDP_DST, TransportPort.of(67)).build();
  }

  private static FlowBuilder ipv4(LocalPort p) {
    return allow(p).match(MatchField.ETH_TYPE, EthType.IPv4);
  }

  private static FlowBuilder allow(LocalPort p) {
    return allowFrom(p, MacAddress.of(p.port().mac()));
  }

  private static FlowBuilder allowFrom(LocalPort p, MacAddress mac) {
    return from(p).priority(ALLOW)
        .match(MatchField.ETH_SRC, mac)
        .gotoTable(Table.SERVICES);
  }

  private static FlowEntry open(LocalPort p) {
    return from(p).priority(DENY).gotoTable(Table.SERVICES).build();
  }

  private static FlowBuilder from(LocalPort p) {
    return FlowBuilder.in(Table.PORT_SECURITY)
        .cookie(FerryApp.PORT_SECURITY.cookie(p.port().id()))
        .network(p.network().vni(), false)
        .match(MatchField.IN_PORT, OFPort.of(p.ofPort()));
  }
}
