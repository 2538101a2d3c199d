package dev.ferry.apps.compile;

import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.PairAddresses;
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
 * conjunction action for each of its rules), clause "protocol / port range" (one flow per masked
 * piece), clause "the other end" (one flow per remote prefix, or per address of the remote
 * group's address set); flows that match the same thing share one flow with several conjunction
 * actions. A remote group's address set is one set of flows for the whole host (no network
 * match: the port clause names the network), shared by every rule of every network that names
 * the group, so flows grow with ports + rules + members, not their product.
 *
 * <p>The rule's mark (a hash of its id, also the conjunction id) goes into the connection's
 * ct_mark on commit, and established packets pass only through a flow naming that mark:
 * deleting the rule deletes that flow, and the rule's connections stop at once. For a rule with
 * a remote group, established packets pass by a second conjunction (the mark, and the other end
 * in the group's address set), so a port that leaves the group loses its connections too.
 */
public final class SecurityGroupFlows {
  static final int INVALID = 300;
  static final int ALWAYS = 250;
  static final int ESTABLISHED = 200;
  static final int NEW = 100;
  static final int COMMIT = 100;
  static final int PLAIN = 50;
  static final int RULE_DROP = 2;
  static final int DROP = 1;
  static final int ZONE_BASE = 0x8000;
  static final int CT_NEW = 0x01;
  static final int CT_EST = 0x02;
  static final int CT_REL = 0x04;
  static final int CT_INV = 0x10;
  static final int CT_TRK = 0x20;
  /** Set in the conjunction id of a remote-group rule's established check (marks are 24 bits). */
  static final long ESTABLISHED_CONJUNCTION = 1L << 24;
  private static final long CLEAR = NetworkMetadata.COMMIT | NetworkMetadata.RULE_MASK;
  private static final Comparator<IPv4AddressWithMask> ADDRESS_ORDER =
      Comparator.<IPv4AddressWithMask>comparingLong(a -> a.getValue().getInt() & 0xffff_ffffL)
          .thenComparingLong(a -> a.getMask().getInt() & 0xffff_ffffL);
  private static final List<FlowEntry> TABLE_MISSES = List.of(Table.EGRESS_CT, Table.EGRESS_ACL,
      Table.EGRESS_COMMIT, Table.INGRESS_CT, Table.INGRESS_ACL, Table.INGRESS_OUT).stream()
      .map(t -> FlowBuilder.tableMiss(t, FerryApp.PIPELINE.cookie())).toList();

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

  /**
   * The cookie of a remote-group rule's drop flows: established packets of connections the
   * rule let in or out whose other end is no longer in the remote group.
   */
  public static long ruleDropCookie(String ruleId) {
    return FerryApp.SECURITY_GROUPS.cookie(ruleId + "/drop");
  }

  /** A rule's mark and conjunction id: 24 bits of a hash of its id, never 0. */
  static long mark(String ruleId) {
    int h = com.google.common.hash.Hashing.murmur3_32_fixed().hashString(ruleId, StandardCharsets.UTF_8).asInt();
    long m = h & 0xFF_FFFFL;
    return m == 0 ? 1 : m;
  }

  /**
   * The addresses a port stands for in the address sets of its groups (the other end of a
   * remote-group rule): its IP and its allowed address pairs' addresses or prefixes.
   */
  static List<IPv4AddressWithMask> memberAddresses(Port p) {
    return p.addresses().stream().map(PairAddresses::prefix).toList();
  }

  static List<FlowEntry> of(Model model, HostView view) {
    return of(model, view, CompileMemo.NONE);
  }

  /**
   * Memoized in three kinds of fragment: per port (its zone, commit, ingress and drop flows),
   * per network (rules of its local ports: marks, port and protocol clauses) and the host's
   * address sets (one fragment, keyed by the remote-group rules and their sets' addresses).
   */
  static List<FlowEntry> of(Model model, HostView view, CompileMemo memo) {
    List<LocalPort> ports = view.localPorts().stream().filter(SecurityGroupFlows::guarded).toList();
    List<FlowEntry> flows = new ArrayList<>();
    for (LocalPort p : ports) {
      flows.addAll(memo.get("security-group-port", p.port().id(), p, () -> portFlows(p)));
    }
    Map<String, SecurityGroupRule> hostRules = new TreeMap<>();
    for (Network n : view.networks()) {
      List<LocalPort> here = ports.stream().filter(p -> p.network().id().equals(n.id())).toList();
      if (here.isEmpty()) {
        continue;
      }
      // Rules of the groups of this network's local ports, by id (deterministic order).
      List<List<Object>> rulesOfPort = new ArrayList<>();
      for (LocalPort p : here) {
        List<SecurityGroupRule> mine = rulesOf(model, n.tenantId(), p.port());
        rulesOfPort.add(List.of(p, mine));
        mine.forEach(r -> hostRules.put(r.id(), r));
      }
      flows.addAll(memo.get("security-group-network", n.id(), List.of(n, rulesOfPort),
          () -> perNetwork(n, rulesOfPort)));
    }
    List<SecurityGroupRule> byGroup = hostRules.values().stream().filter(SecurityGroupFlows::byGroup).toList();
    List<List<IPv4AddressWithMask>> sets = byGroup.stream().map(r -> addressSet(model, r)).toList();
    flows.addAll(memo.update("security-group-address-sets", "host", new AddressSetInputs(byGroup, sets),
        AddressSets::of, AddressSets::next).flows());
    flows.addAll(TABLE_MISSES);
    return flows;
  }

  private static List<FlowEntry> portFlows(LocalPort p) {
    List<FlowEntry> flows = new ArrayList<>();
    flows.add(in(Table.EGRESS_CT, PLAIN, p.port().id(), p.network())
        .match(MatchField.IN_PORT, OFPort.of(p.ofPort())).match(MatchField.ETH_TYPE, EthType.IPv4)
        .apply(NiciraConntrack.track(zone(p), Table.EGRESS_ACL.id())).build());
    flows.add(in(Table.EGRESS_COMMIT, COMMIT, p.port().id(), p.network())
        .match(MatchField.IN_PORT, OFPort.of(p.ofPort())).match(MatchField.ETH_TYPE, EthType.IPv4)
        .apply(commit(p)).writeMetadata(0, CLEAR).gotoTable(Table.SERVICES).build());
    // towards the port: by its own MAC and by each address pair's MAC
    for (String mac : p.port().macs()) {
      flows.add(toPort(in(Table.INGRESS_CT, NEW, p.port().id(), p.network()), mac)
          .match(MatchField.ETH_TYPE, EthType.IPv4)
          .apply(NiciraConntrack.track(zone(p), Table.INGRESS_ACL.id())).build());
      flows.add(toPort(in(Table.INGRESS_CT, PLAIN, p.port().id(), p.network()), mac)
          .apply(Actions.output(p.ofPort())).build());
      flows.add(toPort(FlowBuilder.in(Table.INGRESS_OUT).priority(COMMIT)
              .cookie(FerryApp.SECURITY_GROUPS.cookie(p.port().id()))
              .network(p.network().vni(), NetworkMetadata.COMMIT, NetworkMetadata.COMMIT), mac)
          .match(MatchField.ETH_TYPE, EthType.IPv4)
          .apply(commit(p), Actions.output(p.ofPort())).build());
      flows.add(toPort(in(Table.INGRESS_OUT, PLAIN, p.port().id(), p.network()), mac)
          .apply(Actions.output(p.ofPort())).build());
    }
    // What no rule allows, dropped by a flow of the port's own: its counters explain the drops.
    flows.add(FlowBuilder.in(Table.EGRESS_ACL).priority(DROP).cookie(dropCookie(p.port().id(), false))
        .network(p.network().vni()).match(MatchField.IN_PORT, OFPort.of(p.ofPort())).drop());
    for (String mac : p.port().macs()) {
      flows.add(toPort(FlowBuilder.in(Table.INGRESS_ACL).priority(DROP).cookie(dropCookie(p.port().id(), true))
          .network(p.network().vni()), mac).drop());
    }
    return flows;
  }

  /** The rules of a port's groups (of its tenant), by id. */
  private static List<SecurityGroupRule> rulesOf(Model model, String tenantId, Port port) {
    Map<String, List<SecurityGroupRule>> byGroup = model.derived("security-group rules by group",
        SecurityGroupFlows::rulesByGroup);
    List<String> groups = port.groupsOr(tenantId);
    if (groups.size() == 1) {
      return tenantOwns(model, tenantId, groups.get(0)) ? byGroup.getOrDefault(groups.get(0), List.of()) : List.of();
    }
    List<SecurityGroupRule> out = new ArrayList<>();
    for (String g : new TreeSet<>(groups)) {
      if (tenantOwns(model, tenantId, g)) {
        out.addAll(byGroup.getOrDefault(g, List.of()));
      }
    }
    out.sort(Comparator.comparing(SecurityGroupRule::id));
    return List.copyOf(out);
  }

  private static Map<String, List<SecurityGroupRule>> rulesByGroup(Model model) {
    Map<String, List<SecurityGroupRule>> out = new java.util.HashMap<>();
    model.securityGroupRules().values().stream().sorted(Comparator.comparing(SecurityGroupRule::id))
        .forEach(r -> out.computeIfAbsent(r.securityGroupId(), g -> new ArrayList<>()).add(r));
    out.replaceAll((g, rules) -> List.copyOf(rules));
    return out;
  }

  private static boolean tenantOwns(Model model, String tenantId, String groupId) {
    var g = model.securityGroups().get(groupId);
    return g != null && g.tenantId().equals(tenantId);
  }

  /**
   * The address set of a remote-group rule: the member addresses of its remote group among the
   * ports of the rule's tenant (sorted, distinct).
   */
  static List<IPv4AddressWithMask> addressSet(Model model, SecurityGroupRule r) {
    String tenantId = model.securityGroups().get(r.securityGroupId()).tenantId();
    Map<String, List<IPv4AddressWithMask>> sets = model.derived("security-group address sets " + tenantId,
        m -> addressSets(m, tenantId));
    return sets.getOrDefault(r.remoteGroupId(), List.of());
  }

  private static Map<String, List<IPv4AddressWithMask>> addressSets(Model model, String tenantId) {
    Map<String, TreeSet<IPv4AddressWithMask>> sets = new java.util.HashMap<>();
    // The tenant's networks' ports (the snapshot's index), not every port of the model.
    for (Network mn : model.networksOf(tenantId)) {
      for (Port m : model.portsOf(mn.id())) {
        List<IPv4AddressWithMask> addresses = memberAddresses(m);
        for (String g : m.groupsOr(tenantId)) {
          sets.computeIfAbsent(g, k -> new TreeSet<>(ADDRESS_ORDER)).addAll(addresses);
        }
      }
    }
    Map<String, List<IPv4AddressWithMask>> out = new java.util.HashMap<>();
    sets.forEach((g, s) -> out.put(g, List.copyOf(s)));
    return out;
  }

  /** What the host's address-set flows read: its remote-group rules and their sets' addresses. */
  record AddressSetInputs(List<SecurityGroupRule> rules, List<List<IPv4AddressWithMask>> sets) {}

  /**
   * The host's address-set flows, in both acl tables: per address, one flow carrying for every
   * rule whose set holds it the "other end" clause of the rule's new-connection conjunction
   * (ingress rules in ingress_acl by source, egress rules in egress_acl by destination) and of
   * its established conjunction (both tables: the other end is the source of what comes in and
   * the destination of what goes out, whichever side opened the connection).
   *
   * <p>A member joining or leaving a group changes the flows of its addresses only, so
   * {@link #next} rebuilds just those and keeps every other flow (the same instances): a port
   * add costs O(its addresses), not O(set), on every host of the tenant. Flows are shared.
   */
  record AddressSets(TreeMap<IPv4AddressWithMask, FlowEntry> in,
      TreeMap<IPv4AddressWithMask, FlowEntry> out, List<FlowEntry> flows) {

    static AddressSets of(AddressSetInputs inputs) {
      java.util.Set<IPv4AddressWithMask> all = new TreeSet<>(ADDRESS_ORDER);
      inputs.sets().forEach(all::addAll);
      return with(new TreeMap<>(ADDRESS_ORDER), new TreeMap<>(ADDRESS_ORDER), inputs, all);
    }

    /** The same rules (in order) with other sets: only the addresses that came or went. */
    static AddressSets next(AddressSetInputs previousInputs, AddressSets previous, AddressSetInputs inputs) {
      if (!previousInputs.rules().equals(inputs.rules())) {
        return of(inputs);
      }
      java.util.Set<IPv4AddressWithMask> changed = new TreeSet<>(ADDRESS_ORDER);
      for (int i = 0; i < inputs.sets().size(); i++) {
        symmetricDifference(previousInputs.sets().get(i), inputs.sets().get(i), changed);
      }
      if (changed.isEmpty()) {
        return previous;
      }
      return with(new TreeMap<>(previous.in()), new TreeMap<>(previous.out()), inputs, changed);
    }

    /** {@code in} and {@code out} with the flows of {@code addresses} as {@code inputs} make them. */
    private static AddressSets with(TreeMap<IPv4AddressWithMask, FlowEntry> in,
        TreeMap<IPv4AddressWithMask, FlowEntry> out, AddressSetInputs inputs,
        java.util.Set<IPv4AddressWithMask> addresses) {
      List<SecurityGroupRule> rules = inputs.rules();
      for (IPv4AddressWithMask a : addresses) {
        TreeSet<NiciraConjunction> src = conjunctionSet();
        TreeSet<NiciraConjunction> dst = conjunctionSet();
        for (int i = 0; i < rules.size(); i++) {
          if (java.util.Collections.binarySearch(inputs.sets().get(i), a, ADDRESS_ORDER) < 0) {
            continue;
          }
          SecurityGroupRule r = rules.get(i);
          long mark = mark(r.id());
          NiciraConjunction established = new NiciraConjunction(mark | ESTABLISHED_CONJUNCTION, 2, 2);
          (r.ingress() ? src : dst).add(new NiciraConjunction(mark, 3, 3));
          src.add(established);
          dst.add(established);
        }
        if (src.isEmpty()) { // in no set any more (every member address is in both tables)
          in.remove(a);
          out.remove(a);
        } else {
          in.put(a, CompileMemo.share(addressFlow(Table.INGRESS_ACL, MatchField.IPV4_SRC, a, src)));
          out.put(a, CompileMemo.share(addressFlow(Table.EGRESS_ACL, MatchField.IPV4_DST, a, dst)));
        }
      }
      List<FlowEntry> flows = new ArrayList<>(in.size() + out.size());
      flows.addAll(in.values());
      flows.addAll(out.values());
      return new AddressSets(in, out, java.util.Collections.unmodifiableList(flows));
    }

    /** Adds to {@code into} what is in exactly one of two sorted, distinct lists. */
    private static void symmetricDifference(List<IPv4AddressWithMask> a, List<IPv4AddressWithMask> b,
        java.util.Set<IPv4AddressWithMask> into) {
      if (a == b) {
        return;
      }
      int i = 0;
      int j = 0;
      while (i < a.size() || j < b.size()) {
        int c = i == a.size() ? 1 : j == b.size() ? -1 : ADDRESS_ORDER.compare(a.get(i), b.get(j));
        if (c == 0) {
          i++;
          j++;
        } else if (c < 0) {
          into.add(a.get(i++));
        } else {
          into.add(b.get(j++));
        }
      }
    }
  }

  private static FlowEntry addressFlow(Table t, MatchField<IPv4Address> field, IPv4AddressWithMask a,
      TreeSet<NiciraConjunction> conj) {
    return FlowBuilder.in(t).priority(NEW).cookie(FerryApp.SECURITY_GROUPS.cookie("address " + a))
        .match(MatchField.ETH_TYPE, EthType.IPv4).match(field, a.getValue(), a.getMask())
        .apply(List.copyOf(conj)).build();
  }

  private static TreeSet<NiciraConjunction> conjunctionSet() {
    return new TreeSet<>(Comparator.comparingLong(NiciraConjunction::id).thenComparingInt(NiciraConjunction::clause));
  }

  private static NiciraConntrack commit(LocalPort p) {
    List<NiciraAction> exec = List.of(new NiciraFieldMove(BitField.METADATA, NetworkMetadata.RULE_SHIFT,
        BitField.CT_MARK, 0, NetworkMetadata.RULE_BITS));
    return NiciraConntrack.commit(zone(p), exec);
  }

  private static FlowBuilder toPort(FlowBuilder f, String mac) {
    return f.match(MatchField.ETH_DST, MacAddress.of(mac));
  }

  private static FlowBuilder in(Table t, int priority, String owner, Network n) {
    return FlowBuilder.in(t).priority(priority).cookie(FerryApp.SECURITY_GROUPS.cookie(owner)).network(n.vni());
  }

  @SuppressWarnings("unchecked")
  private static List<FlowEntry> perNetwork(Network n, List<List<Object>> rulesOfPort) {
    List<FlowEntry> flows = new ArrayList<>();
    for (Table t : List.of(Table.EGRESS_ACL, Table.INGRESS_ACL)) {
      flows.add(in(t, INVALID, n.id(), n)
          .match(MatchField.CONN_TRACKING_STATE, U32.of(CT_TRK | CT_INV), U32.of(CT_TRK | CT_INV)).drop());
    }
    flows.add(in(Table.EGRESS_ACL, ALWAYS, n.id(), n).match(MatchField.ETH_TYPE, EthType.IPv4)
        .match(MatchField.IP_PROTO, IpProtocol.UDP).match(MatchField.UDP_SRC, TransportPort.of(68))
        .match(MatchField.UDP_DST, TransportPort.of(67)).gotoTable(Table.SERVICES).build());
    Map<String, SecurityGroupRule> rules = new TreeMap<>();
    rulesOfPort.forEach(e -> ((List<SecurityGroupRule>) e.get(1)).forEach(r -> rules.put(r.id(), r)));
    for (SecurityGroupRule r : rules.values()) {
      long mark = mark(r.id());
      Table acl = r.ingress() ? Table.INGRESS_ACL : Table.EGRESS_ACL;
      Table next = r.ingress() ? Table.INGRESS_OUT : Table.EGRESS_COMMIT;
      for (Table t : List.of(Table.EGRESS_ACL, Table.INGRESS_ACL)) {
        Table passTo = t == Table.INGRESS_ACL ? Table.INGRESS_OUT : Table.SERVICES;
        if (!byGroup(r)) {
          flows.add(in(t, ESTABLISHED, r.id(), n)
              .match(MatchField.CONN_TRACKING_STATE, U32.of(CT_TRK), U32.of(CT_TRK | CT_NEW | CT_INV))
              .match(MatchField.CONN_TRACKING_MARK, U32.of(mark)).gotoTable(passTo).build());
          continue;
        }
        // Related packets (ICMP errors, from anywhere) by the mark alone; established ones
        // only while the other end is in the remote group (the address set's clause 2).
        long established = mark | ESTABLISHED_CONJUNCTION;
        flows.add(in(t, ESTABLISHED, r.id(), n)
            .match(MatchField.CONN_TRACKING_STATE, U32.of(CT_TRK | CT_REL), U32.of(CT_TRK | CT_NEW | CT_INV | CT_REL))
            .match(MatchField.CONN_TRACKING_MARK, U32.of(mark)).gotoTable(passTo).build());
        flows.add(in(t, NEW, r.id(), n)
            .match(MatchField.CONN_TRACKING_STATE, U32.of(CT_TRK), U32.of(CT_TRK | CT_NEW | CT_INV | CT_REL))
            .match(MatchField.CONN_TRACKING_MARK, U32.of(mark))
            .apply(new NiciraConjunction(established, 1, 2)).build());
        flows.add(in(t, NEW, r.id(), n).match(ConjunctionId.FIELD, ConjunctionId.of(established))
            .gotoTable(passTo).build());
        // ... and what the set no longer lets through is dropped (and counted) as the rule's
        flows.add(FlowBuilder.in(t).priority(RULE_DROP).cookie(ruleDropCookie(r.id())).network(n.vni())
            .match(MatchField.CONN_TRACKING_STATE, U32.of(CT_TRK), U32.of(CT_TRK | CT_NEW | CT_INV))
            .match(MatchField.CONN_TRACKING_MARK, U32.of(mark)).drop());
      }
      flows.add(in(acl, NEW, r.id(), n).match(ConjunctionId.FIELD, ConjunctionId.of(mark))
          .writeMetadata(NetworkMetadata.COMMIT | (mark << NetworkMetadata.RULE_SHIFT), CLEAR)
          .gotoTable(next).build());
    }
    Clauses egress = new Clauses(Table.EGRESS_ACL, n);
    Clauses ingress = new Clauses(Table.INGRESS_ACL, n);
    for (List<Object> e : rulesOfPort) {
      LocalPort p = (LocalPort) e.get(0);
      for (SecurityGroupRule r : (List<SecurityGroupRule>) e.get(1)) {
        Clauses c = r.ingress() ? ingress : egress;
        NiciraConjunction conj = new NiciraConjunction(mark(r.id()), 1, clauses(r));
        if (!r.ingress()) {
          c.add(p.port().id(), f -> f.match(MatchField.IN_PORT, OFPort.of(p.ofPort())), conj);
          continue;
        }
        for (String mac : p.port().macs()) {
          c.add(mac.equals(p.port().mac()) ? p.port().id() : p.port().id() + "/" + mac, f -> toPort(f, mac), conj);
        }
      }
    }
    for (SecurityGroupRule r : rules.values()) {
      Clauses c = r.ingress() ? ingress : egress;
      long mark = mark(r.id());
      protocolClause(c, r, new NiciraConjunction(mark, 2, clauses(r)));
      if (byPrefix(r)) {
        MatchField<IPv4Address> other = r.ingress() ? MatchField.IPV4_SRC : MatchField.IPV4_DST;
        IPv4AddressWithMask prefix = IPv4AddressWithMask.of(r.remoteIpPrefix());
        c.add("ip " + prefix, f -> f.match(MatchField.ETH_TYPE, EthType.IPv4)
            .match(other, prefix.getValue(), prefix.getMask()), new NiciraConjunction(mark, 3, 3));
      }
      // a remote group's clause 3 is the host's address-set flows (AddressSets)
    }
    flows.addAll(egress.flows());
    flows.addAll(ingress.flows());
    return flows;
  }

  /** The other end is a prefix (0.0.0.0/0 is no restriction, and no OpenFlow match at all). */
  private static boolean byPrefix(SecurityGroupRule r) {
    return r.remoteIpPrefix() != null && !r.remoteIpPrefix().endsWith("/0");
  }

  /** The other end is a member of a remote group (its address set). */
  private static boolean byGroup(SecurityGroupRule r) {
    return r.remoteIpPrefix() == null && r.remoteGroupId() != null;
  }

  private static int clauses(SecurityGroupRule r) {
    return byPrefix(r) || byGroup(r) ? 3 : 2;
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
