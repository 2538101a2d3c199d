package dev.ferry.apps.compile;

import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.model.SecurityGroupRule;
import dev.ferry.apps.pipeline.Actions;
import dev.ferry.apps.pipeline.FerryApp;
import dev.ferry.apps.pipeline.FlowBuilder;
import dev.ferry.apps.pipeline.NetworkMetadata;
import dev.ferry.apps.pipeline.Table;
import dev.ferry.southbound.flow.FlowEntry;
import dev.ferry.southbound.nicira.ConjunctionId;
import dev.ferry.southbound.nicira.NiciraAction;
import dev.ferry.southbound.nicira.NiciraConjunction;
import dev.ferry.southbound.nicira.NiciraConntrack;
import dev.ferry.southbound.nicira.NiciraFieldMove;
import dev.ferry.southbound.nicira.NiciraFieldMove.BitField;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.ICMPv4Code;
import org.projectfloodlight.openflow.types.ICMPv4Type;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U32;

/**
 * Stateful security groups (tables egress_ct .. egress_commit and ingress_ct .. ingress_out).
 * Each secured local port with an address has its own conntrack zone. A new connection is
 * allowed by a conjunctive match per rule: clause "this port" (one flow per port, carrying a
 * conjunction action for each of its rules), clause "the other end" (one flow per remote
 * prefix or remote group member address), clause "protocol / port range" (one flow per masked
 * piece); flows that match the same thing share one flow with several conjunction actions. The
 * rule's mark (a hash of its id, also the conjunction id) goes into the connection's ct_mark on
 * commit, and established packets pass only through a flow naming that mark: deleting the rule
 * deletes that flow, and the rule's connections stop at once.
 */
public final class SecurityGroupFlows {
  static final int INVALID = 300;
  static final int ALWAYS = 250;
  static final int ESTABLISHED = 200;
  static final int NEW = 100;
  static final int COMMIT = 100;
  static final int PLAIN = 50;
  static final int DROP = 1;
  static final int ZONE_BASE = 0x8000;
  static final int CT_NEW = 0x01;
  static final int CT_EST = 0x02;
  static final int CT_REL = 0x04;
  static final int CT_INV = 0x10;
  static final int CT_TRK = 0x20;
  private static final long CLEAR = NetworkMetadata.COMMIT | NetworkMetadata.RULE_MASK;

  private SecurityGroupFlows() {}

  /** Ports the groups apply to: port security on and an address to track. */
  static boolean guarded(LocalPort p) {
    return p.port().portSecurity() && p.port().ip() != null && p.port().mac() != null;
  }

  /** The conntrack zone of a port: per port, so two local ports never share a connection entry. */
  static int zone(LocalPort p) {
    return ZONE_BASE | (p.ofPort() & 0x7fff);
  }

  /** The cookie of the flow that drops what no rule lets out of (or into) the port. */
  public static long dropCookie(String portId, boolean ingress) {
    return FerryApp.SECURITY_GROUPS.cookie(portId + (ingress ? "/ingress-drop" : "/egress-drop"));
  }

  /** A rule's mark and conjunction id: 24 bits of a hash of its id, never 0. */
  static long mark(String ruleId) {
    int h = com.google.common.hash.Hashing.murmur3_32_fixed().hashString(ruleId, StandardCharsets.UTF_8).asInt();
    long m = h & 0xFF_FFFFL;
    return m == 0 ? 1 : m;
  }

  static List<FlowEntry> of(Model model, HostView view) {
    List<LocalPort> ports = view.localPorts().stream().filter(SecurityGroupFlows::guarded).toList();
    List<FlowEntry> flows = new ArrayList<>();
    for (LocalPort p : ports) {
      flows.add(in(Table.EGRESS_CT, PLAIN, p.port().id(), p.network())
          .match(MatchField.IN_PORT, OFPort.of(p.ofPort())).match(MatchField.ETH_TYPE, EthType.IPv4)
          .apply(NiciraConntrack.track(zone(p), Table.EGRESS_ACL.id())).build());
      flows.add(in(Table.EGRESS_COMMIT, COMMIT, p.port().id(), p.network())
          .match(MatchField.IN_PORT, OFPort.of(p.ofPort())).match(MatchField.ETH_TYPE, EthType.IPv4)
          .apply(commit(p)).writeMetadata(0, CLEAR).gotoTable(Table.SERVICES).build());
      flows.add(toPort(in(Table.INGRESS_CT, NEW, p.port().id(), p.network()), p)
          .match(MatchField.ETH_TYPE, EthType.IPv4)
          .apply(NiciraConntrack.track(zone(p), Table.INGRESS_ACL.id())).build());
      flows.add(toPort(in(Table.INGRESS_CT, PLAIN, p.port().id(), p.network()), p)
          .apply(Actions.output(p.ofPort())).build());
      flows.add(toPort(FlowBuilder.in(Table.INGRESS_OUT).priority(COMMIT)
              .cookie(FerryApp.SECURITY_GROUPS.cookie(p.port().id()))
              .network(p.network().vni(), NetworkMetadata.COMMIT, NetworkMetadata.COMMIT), p)
          .match(MatchField.ETH_TYPE, EthType.IPv4)
          .apply(commit(p), Actions.output(p.ofPort())).build());
      flows.add(toPort(in(Table.INGRESS_OUT, PLAIN, p.port().id(), p.network()), p)
          .apply(Actions.output(p.ofPort())).build());
      // What no rule allows, dropped by a flow of the port's own: its counters explain the drops.
      flows.add(FlowBuilder.in(Table.EGRESS_ACL).priority(DROP).cookie(dropCookie(p.port().id(), false))
          .network(p.network().vni()).match(MatchField.IN_PORT, OFPort.of(p.ofPort())).drop());
      flows.add(toPort(FlowBuilder.in(Table.INGRESS_ACL).priority(DROP).cookie(dropCookie(p.port().id(), true))
          .network(p.network().vni()), p).drop());
    }
    for (Network n : view.networks()) {
      List<LocalPort> here = ports.stream().filter(p -> p.network().id().equals(n.id())).toList();
      if (here.isEmpty()) {
        continue;
      }
      flows.addAll(perNetwork(model, n, here));
    }
    for (Table t : List.of(Table.EGRESS_CT, Table.EGRESS_ACL, Table.EGRESS_COMMIT, Table.INGRESS_CT,
        Table.INGRESS_ACL, Table.INGRESS_OUT)) {
      flows.add(FlowBuilder.tableMiss(t, FerryApp.PIPELINE.cookie()));
    }
    return flows;
  }

  private static NiciraConntrack commit(LocalPort p) {
    List<NiciraAction> exec = List.of(new NiciraFieldMove(BitField.METADATA, NetworkMetadata.RULE_SHIFT,
        BitField.CT_MARK, 0, NetworkMetadata.RULE_BITS));
    return NiciraConntrack.commit(zone(p), exec);
  }

  private static FlowBuilder toPort(FlowBuilder f, LocalPort p) {
    return f.match(MatchField.ETH_DST, MacAddress.of(p.port().mac()));
  }

  private static FlowBuilder in(Table t, int priority, String owner, Network n) {
    return FlowBuilder.in(t).priority(priority).cookie(FerryApp.SECURITY_GROUPS.cookie(owner)).network(n.vni());
  }

  private static List<FlowEntry> perNetwork(Model model, Network n, List<LocalPort> ports) {
    List<FlowEntry> flows = new ArrayList<>();
    for (Table t : List.of(Table.EGRESS_ACL, Table.INGRESS_ACL)) {
      flows.add(in(t, INVALID, n.id(), n)
          .match(MatchField.CONN_TRACKING_STATE, U32.of(CT_TRK | CT_INV), U32.of(CT_TRK | CT_INV)).drop());
    }
    flows.add(in(Table.EGRESS_ACL, ALWAYS, n.id(), n).match(MatchField.ETH_TYPE, EthType.IPv4)
        .match(MatchField.IP_PROTO, IpProtocol.UDP).match(MatchField.UDP_SRC, TransportPort.of(68))
        .match(MatchField.UDP_DST, TransportPort.of(67)).gotoTable(Table.SERVICES).build());
    // Rules of the groups of this network's local ports, by id (deterministic order).
    Map<String, SecurityGroupRule> rules = new TreeMap<>();
    Map<LocalPort, List<SecurityGroupRule>> rulesOfPort = new LinkedHashMap<>();
    for (LocalPort p : ports) {
      List<String> groups = p.port().groupsOr(n.tenantId());
      List<SecurityGroupRule> mine = model.securityGroupRules().values().stream()
          .filter(r -> groups.contains(r.securityGroupId()))
          .filter(r -> tenantOwns(model, n.tenantId(), r))
          .sorted(Comparator.comparing(SecurityGroupRule::id)).toList();
      rulesOfPort.put(p, mine);
      mine.forEach(r -> rules.put(r.id(), r));
    }
    for (SecurityGroupRule r : rules.values()) {
      long mark = mark(r.id());
      Table acl = r.ingress() ? Table.INGRESS_ACL : Table.EGRESS_ACL;
      Table next = r.ingress() ? Table.INGRESS_OUT : Table.EGRESS_COMMIT;
      for (Table t : List.of(Table.EGRESS_ACL, Table.INGRESS_ACL)) {
        flows.add(in(t, ESTABLISHED, r.id(), n)
            .match(MatchField.CONN_TRACKING_STATE, U32.of(CT_TRK), U32.of(CT_TRK | CT_NEW | CT_INV))
            .match(MatchField.CONN_TRACKING_MARK, U32.of(mark))
            .gotoTable(t == Table.INGRESS_ACL ? Table.INGRESS_OUT : Table.SERVICES).build());
      }
      flows.add(in(acl, NEW, r.id(), n).match(ConjunctionId.FIELD, ConjunctionId.of(mark))
          .writeMetadata(NetworkMetadata.COMMIT | (mark << NetworkMetadata.RULE_SHIFT), CLEAR)
          .gotoTable(next).build());
    }
    Clauses egress = new Clauses(Table.EGRESS_ACL, n);
    Clauses ingress = new Clauses(Table.INGRESS_ACL, n);
    for (var e : rulesOfPort.entrySet()) {
      LocalPort p = e.getKey();
      for (SecurityGroupRule r : e.getValue()) {
        Clauses c = r.ingress() ? ingress : egress;
        int clauses = 2 + (hasRemote(r) ? 1 : 0);
        c.add(p.port().id(), r.ingress()
            ? f -> toPort(f, p)
            : f -> f.match(MatchField.IN_PORT, OFPort.of(p.ofPort())),
            new NiciraConjunction(mark(r.id()), 1, clauses));
      }
    }
    for (SecurityGroupRule r : rules.values()) {
      Clauses c = r.ingress() ? ingress : egress;
      long mark = mark(r.id());
      int clauses = 2 + (hasRemote(r) ? 1 : 0);
      protocolClause(c, r, new NiciraConjunction(mark, 2, clauses));
      if (hasRemote(r)) {
        MatchField<IPv4Address> other = r.ingress() ? MatchField.IPV4_SRC : MatchField.IPV4_DST;
        NiciraConjunction conj = new NiciraConjunction(mark, 3, clauses);
        for (IPv4AddressWithMask prefix : remotes(model, n.tenantId(), r)) {
          c.add("ip " + prefix, f -> f.match(MatchField.ETH_TYPE, EthType.IPv4)
              .match(other, prefix.getValue(), prefix.getMask()), conj);
        }
      }
    }
    flows.addAll(egress.flows());
    flows.addAll(ingress.flows());
    return flows;
  }

  private static boolean tenantOwns(Model model, String tenantId, SecurityGroupRule r) {
    var g = model.securityGroups().get(r.securityGroupId());
    return g != null && g.tenantId().equals(tenantId);
  }

  private static boolean hasRemote(SecurityGroupRule r) {
    // 0.0.0.0/0 is no restriction (and no OpenFlow match at all)
    return (r.remoteIpPrefix() != null && !r.remoteIpPrefix().endsWith("/0")) || r.remoteGroupId() != null;
  }

  /** The other end's addresses: the prefix, or each member port's address (sorted, distinct). */
  static List<IPv4AddressWithMask> remotes(Model model, String tenantId, SecurityGroupRule r) {
    if (r.remoteIpPrefix() != null) {
      return List.of(IPv4AddressWithMask.of(r.remoteIpPrefix()));
    }
    TreeSet<Integer> ips = new TreeSet<>(Integer::compareUnsigned);
    // The tenant's networks' ports (the snapshot's index), not every port of the model.
    for (Network mn : model.networks().values()) {
      if (!mn.tenantId().equals(tenantId)) {
        continue;
      }
      for (Port m : model.portsOf(mn.id())) {
        if (m.ip() != null && m.groupsOr(tenantId).contains(r.remoteGroupId())) {
          ips.add(IPv4Address.of(m.ip()).getInt());
        }
      }
    }
    return ips.stream().map(ip -> IPv4Address.of(ip).withMaskOfLength(32)).toList();
  }

  /** Clause 2: the protocol, its masked port-range pieces or ICMP type/code; any IPv4 for "any". */
  private static void protocolClause(Clauses c, SecurityGroupRule r, NiciraConjunction conj) {
    Integer proto = r.protocol();
    if (proto == null) {
      c.add("ip", f -> f.match(MatchField.ETH_TYPE, EthType.IPv4), conj);
      return;
    }
    Consumer<FlowBuilder> base = f -> f.match(MatchField.ETH_TYPE, EthType.IPv4)
        .match(MatchField.IP_PROTO, IpProtocol.of((short) (int) proto));
    if ((proto == SecurityGroupRule.TCP || proto == SecurityGroupRule.UDP) && r.portRangeMin() != null) {
      MatchField<TransportPort> dst = proto == SecurityGroupRule.TCP ? MatchField.TCP_DST : MatchField.UDP_DST;
      for (int[] piece : PortRanges.masked(r.portRangeMin(), r.portRangeMax())) {
        c.add("proto " + proto + " " + piece[0] + "/" + piece[1], f -> {
          base.accept(f);
          f.match(dst, TransportPort.of(piece[0]), TransportPort.of(piece[1]));
        }, conj);
      }
    } else if (proto == SecurityGroupRule.ICMP && r.icmpType() != null) {
      c.add("icmp " + r.icmpType() + " " + r.icmpCode(), f -> {
        base.accept(f);
        f.match(MatchField.ICMPV4_TYPE, ICMPv4Type.of((short) (int) r.icmpType()));
        if (r.icmpCode() != null) {
          f.match(MatchField.ICMPV4_CODE, ICMPv4Code.of((short) (int) r.icmpCode()));
        }
      }, conj);
    } else {
      c.add("proto " + proto, base, conj);
    }
  }

  /** Clause flows of one table and network: one flow per distinct match, its conjunctions merged. */
  private static final class Clauses {
    private final Table table;
    private final Network network;
    private final Map<String, Consumer<FlowBuilder>> matches = new TreeMap<>();
    private final Map<String, TreeSet<NiciraConjunction>> actions = new TreeMap<>();

    Clauses(Table table, Network network) {
      this.table = table;
      this.network = network;
    }

    void add(String key, Consumer<FlowBuilder> match, NiciraConjunction conj) {
      matches.putIfAbsent(key, match);
      actions.computeIfAbsent(key, k -> new TreeSet<>(Comparator.comparingLong(NiciraConjunction::id)
          .thenComparingInt(NiciraConjunction::clause))).add(conj);
    }

    List<FlowEntry> flows() {
      List<FlowEntry> out = new ArrayList<>();
      for (var e : matches.entrySet()) {
        FlowBuilder f = FlowBuilder.in(table).priority(NEW)
            .cookie(FerryApp.SECURITY_GROUPS.cookie(e.getKey().startsWith("ip ") || e.getKey().startsWith("proto ")
                || e.getKey().startsWith("icmp ") || e.getKey().equals("ip") ? network.id() : e.getKey()))
            .network(network.vni())
            .match(MatchField.CONN_TRACKING_STATE, U32.of(CT_TRK | CT_NEW), U32.of(CT_TRK | CT_NEW | CT_INV));
        e.getValue().accept(f);
        out.add(f.apply(List.copyOf(actions.get(e.getKey()))).build());
      }
      return out;
    }
  }
}
