package dev.ferry.apps.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.FloatingIp;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.model.SecurityGroup;
import dev.ferry.apps.model.SecurityGroupRule;
import dev.ferry.apps.nat.NextHops;
import dev.ferry.apps.pipeline.FlowText;
import dev.ferry.apps.testing.RandomModels;
import dev.ferry.southbound.flow.DesiredState;
import dev.ferry.southbound.flow.FlowEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * The incremental compile (a per-host {@link CompileMemo} kept across changes) equals the full
 * compile after every step of random change sequences, for every host: ports added, removed,
 * moved and changed; networks added, removed and changed (gateway, CIDR, DHCP, central gateway
 * host); hosts added and readdressed; uplinks, next hops and floating IPs; bindings of ports,
 * uplinks and vxlan0 coming and going; security groups added, rules (with remote groups,
 * prefixes and port ranges) added and deleted, ports' groups changed. The incremental
 * reconcile's diff ({@code FlowReconciler.planUpdate}) between consecutive incremental states
 * equals the diff of the full states, and what it installs equals the full state.
 */
class IncrementalCompileTest {
  private static final int STEPS = 40;

  static LongStream seeds() {
    return LongStream.range(0, 40);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void incrementalEqualsFullAfterEveryChange(long seed) {
    World w = new World(RandomModels.generate(seed), new Random(seed * 7919 + 1));
    Map<String, CompileMemo> memos = new HashMap<>();
    Map<String, DesiredState> installed = new HashMap<>();
    long hits = 0;
    for (int step = 0; step <= STEPS; step++) {
      String change = step == 0 ? "initial" : w.change();
      Model model = w.model();
      Bindings bindings = w.bindings();
      NextHops nextHops = w.nextHops();
      for (String host : model.hosts().keySet()) {
        CompileMemo memo = memos.computeIfAbsent(host, h -> CompileMemo.create());
        DesiredState full = HostCompiler.compile(model, bindings, nextHops, host);
        DesiredState incremental = HostCompiler.compile(model, bindings, nextHops, host, memo);
        String where = "seed " + seed + " step " + step + " (" + change + ") host " + host;
        assertEquals(FlowText.of(full, FlowText.Style.OVS),
            FlowText.of(incremental, FlowText.Style.OVS), where);
        assertEquals(full, incremental, where);
        DesiredState before = installed.get(host);
        if (before != null) {
          // the incremental reconcile's diff of the memo's states is the diff of the full states
          var update = dev.ferry.southbound.flow.FlowReconciler.planUpdate(before, incremental,
              g -> true, m -> true);
          assertEquals(keyDiff(before.flows(), full.flows()), keyDiff(update.flows()), where);
          assertEquals(full, update.installed(), where);
          installed.put(host, update.installed());
        } else {
          installed.put(host, incremental);
        }
        hits = memos.values().stream().mapToLong(CompileMemo::hits).sum();
      }
    }
    assertTrue(hits > 0, "the memo was used");
  }

  @Test
  void anUnchangedNetworksFlowsAreTheSameInstancesAndAPortAddRebuildsOnlyItsNetwork() {
    World w = new World(RandomModels.generate(3), new Random(3));
    String host = w.model().hosts().keySet().iterator().next();
    CompileMemo memo = CompileMemo.create();
    DesiredState before = HostCompiler.compile(w.model(), w.bindings(), NextHops.NONE, host, memo);
    Port existing = w.model().portsOnHost(host).stream().filter(p -> p.mac() != null)
        .findFirst().orElseThrow(() -> new AssertionError("seed 3 has ports on " + host));
    w.ports.put("new-port", new Port("new-port", existing.networkId(), "new-port",
        "02:00:00:00:00:7f", null, host, "if-new-port", true, 1));
    w.ofPorts.get(host).put("if-new-port", 99);
    long missesBefore = memo.misses();
    DesiredState after = HostCompiler.compile(w.model(), w.bindings(), NextHops.NONE, host, memo);
    assertEquals(HostCompiler.compile(w.model(), w.bindings(), NextHops.NONE, host), after);
    int vni = w.model().networks().get(existing.networkId()).vni();
    int reused = 0;
    for (FlowEntry f : after.flows()) {
      int i = before.flows().indexOf(f);
      if (i < 0) {
        continue;
      }
      if (before.flows().get(i) == f) {
        reused++;
      } else {
        assertEquals(vni, networkOf(f), "only the port's network is rebuilt: " + f);
      }
    }
    assertTrue(reused > 0, "unchanged flows are the remembered instances");
    // the new port's own fragments, and its network's: services, neighbors, flood, groups, ...
    assertTrue(memo.misses() - missesBefore <= 10,
        "only the port's and its network's fragments were built: " + (memo.misses() - missesBefore));
  }

  @Test
  void aPortJoiningTheDefaultGroupElsewhereBuildsOnlyItsAddressFlows() {
    Network net = new Network("n", "t", "n", 100, "10.0.0.0/16", "10.0.0.1", true, 1450,
        List.of(), null, 1);
    List<Host> hosts = List.of(new Host("a", 1, "192.168.0.2", null, 1),
        new Host("b", 2, "192.168.0.3", null, 1));
    List<Port> ports = new ArrayList<>();
    Map<String, Map<String, Integer>> ofPorts = new HashMap<>();
    for (Host h : hosts) {
      ofPorts.put(h.name(), new HashMap<>(Map.of("vxlan0", 1)));
    }
    for (int i = 0; i < 40; i++) {
      String host = i % 2 == 0 ? "a" : "b";
      ports.add(new Port("p" + i, "n", "p" + i, String.format("02:00:00:00:00:%02x", i),
          "10.0.0." + (10 + i), host, "if" + i, true, 1));
      ofPorts.get(host).put("if" + i, 2 + i);
    }
    List<dev.ferry.apps.model.Tenant> tenants = List.of(new dev.ferry.apps.model.Tenant("t", "t", 1));
    CompileMemo memo = CompileMemo.create();
    Model model = Model.of(tenants, List.of(net), ports, hosts, List.of()).withDefaultGroups();
    DesiredState before = HostCompiler.compile(model, new Bindings(ofPorts), NextHops.NONE, "a", memo);
    ports.add(new Port("new", "n", "new", "02:00:00:00:01:00", "10.0.1.1", "b", "if-new", true, 1));
    ofPorts.get("b").put("if-new", 99);
    model = Model.of(tenants, List.of(net), ports, hosts, List.of()).withDefaultGroups();
    DesiredState after = HostCompiler.compile(model, new Bindings(ofPorts), NextHops.NONE, "a", memo);
    assertEquals(HostCompiler.compile(model, new Bindings(ofPorts), NextHops.NONE, "a"), after);
    // address flows: table ingress_acl/egress_acl, priority NEW, matching an IPv4 source/destination
    List<FlowEntry> addressFlows = after.flows().stream()
        .filter(f -> (f.tableId() == dev.ferry.apps.pipeline.Table.INGRESS_ACL.id()
            || f.tableId() == dev.ferry.apps.pipeline.Table.EGRESS_ACL.id())
            && (!f.match().isFullyWildcarded(org.projectfloodlight.openflow.protocol.match.MatchField.IPV4_SRC)
                || !f.match().isFullyWildcarded(org.projectfloodlight.openflow.protocol.match.MatchField.IPV4_DST)))
        .toList();
    java.util.Set<FlowEntry> old = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    old.addAll(before.flows());
    List<FlowEntry> rebuilt = addressFlows.stream().filter(f -> !old.contains(f)).toList();
    assertEquals(82, addressFlows.size(), "41 members, in both acl tables");
    assertEquals(2, rebuilt.size(), "only the new member's flows are new instances: " + rebuilt);
  }

  /** A diff as sets: (add, modify as old -> new, delete). */
  private static List<Set<?>> keyDiff(dev.ferry.southbound.flow.FlowDiff d) {
    return List.of(Set.copyOf(d.add()), Set.copyOf(d.modify()), Set.copyOf(d.delete()));
  }

  /** The reference: flows by key (each state holds a key once) compared by content. */
  private static List<Set<?>> keyDiff(List<FlowEntry> old, List<FlowEntry> now) {
    Map<FlowEntry.Key, FlowEntry> was = new LinkedHashMap<>();
    old.forEach(f -> was.put(f.key(), f));
    Set<FlowEntry> add = new java.util.HashSet<>();
    Set<dev.ferry.southbound.flow.FlowDiff.Change> modify = new java.util.HashSet<>();
    for (FlowEntry f : now) {
      FlowEntry had = was.remove(f.key());
      if (had == null) {
        add.add(f);
      } else if (had.cookie() != f.cookie() || !had.instructions().equals(f.instructions())) {
        modify.add(new dev.ferry.southbound.flow.FlowDiff.Change(had, f));
      }
    }
    return List.of(add, modify, Set.copyOf(was.values()));
  }

  /** The VNI a flow is about (its metadata or tunnel id), -1 for none. */
  private static int networkOf(FlowEntry f) {
    var metadata = f.match().get(org.projectfloodlight.openflow.protocol.match.MatchField.METADATA);
    if (metadata != null) {
      return (int) (metadata.getValue().getValue() & 0xffffff);
    }
    var tunnel = f.match().get(org.projectfloodlight.openflow.protocol.match.MatchField.TUNNEL_ID);
    return tunnel == null ? -1 : (int) tunnel.getValue();
  }

  /** A mutable model that random changes are applied to; each step makes a new snapshot. */
  private static final class World {
    final Random r;
    final Map<String, dev.ferry.apps.model.Tenant> tenants = new LinkedHashMap<>();
    final Map<String, Network> networks = new LinkedHashMap<>();
    final Map<String, Port> ports = new LinkedHashMap<>();
    final Map<String, Host> hosts = new LinkedHashMap<>();
    final Map<String, FloatingIp> floatingIps = new LinkedHashMap<>();
    final Map<String, SecurityGroup> groups = new LinkedHashMap<>();
    final Map<String, SecurityGroupRule> rules = new LinkedHashMap<>();
    final Map<String, Map<String, Integer>> ofPorts = new LinkedHashMap<>();
    final Map<String, MacAddress> nextHops = new LinkedHashMap<>();
    int serial;

    World(RandomModels.Scenario s, Random r) {
      this.r = r;
      tenants.putAll(s.model().tenants());
      networks.putAll(new java.util.TreeMap<>(s.model().networks()));
      ports.putAll(new java.util.TreeMap<>(s.model().ports()));
      hosts.putAll(new java.util.TreeMap<>(s.model().hosts()));
      s.bindings().ofPorts().forEach((h, m) -> ofPorts.put(h, new HashMap<>(m)));
      groups.putAll(new java.util.TreeMap<>(s.model().securityGroups()));
      rules.putAll(new java.util.TreeMap<>(s.model().securityGroupRules()));
    }

    Model model() {
      return Model.of(tenants.values(), networks.values(), ports.values(), hosts.values(),
          floatingIps.values()).withSecurityGroups(groups.values(), rules.values());
    }

    Bindings bindings() {
      return new Bindings(ofPorts);
    }

    NextHops nextHops() {
      return new NextHops(Map.copyOf(nextHops));
    }

    /** Applies one random change; returns what it was. */
    String change() {
      int n = serial++;
      switch (r.nextInt(17)) {
        case 0, 1 -> {
          Network net = any(networks);
          if (net == null) {
            return "none";
          }
          String id = "x" + n;
          String host = r.nextInt(6) == 0 ? null : any(hosts).name();
          String prefix = net.cidr().substring(0, net.cidr().lastIndexOf('.') + 1);
          Port p = new Port(id, net.id(), id, String.format("02:00:00:00:01:%02x", n % 256),
              r.nextBoolean() ? prefix + (100 + n % 150) : null, host, "if-" + id,
              r.nextBoolean(), 1);
          ports.put(id, p);
          if (host != null && r.nextInt(4) != 0) {
            bind(host, p.interfaceName());
          }
          return "port add " + id;
        }
        case 2 -> {
          Port p = any(ports);
          if (p == null) {
            return "none";
          }
          ports.remove(p.id());
          floatingIps.values().removeIf(f -> p.id().equals(f.portId()));
          if (p.host() != null && r.nextBoolean()) {
            ofPorts.getOrDefault(p.host(), new HashMap<>()).remove(p.interfaceName());
          }
          return "port remove " + p.id();
        }
        case 3 -> {
          Port p = any(ports);
          if (p == null) {
            return "none";
          }
          String to = any(hosts).name();
          ports.put(p.id(), new Port(p.id(), p.networkId(), p.name(), p.mac(), p.ip(), to,
              p.interfaceName(), p.portSecurity(), p.revision() + 1));
          bind(to, p.interfaceName());
          return "port move " + p.id() + " -> " + to;
        }
        case 4 -> {
          Port p = any(ports);
          if (p == null) {
            return "none";
          }
          ports.put(p.id(), new Port(p.id(), p.networkId(), p.name(),
              r.nextBoolean() ? p.mac() : String.format("02:00:00:00:02:%02x", n % 256),
              r.nextBoolean() ? p.ip() : null, p.host(), p.interfaceName(),
              !p.portSecurity(), p.revision() + 1));
          return "port change " + p.id();
        }
        case 5 -> {
          String tenant = any(tenants).id();
          int vni = 1000 + n;
          String prefix = r.nextBoolean() ? "10.9." + (n % 200) + "." : "10.0.0.";
          String id = "net" + n;
          networks.put(id, new Network(id, tenant, id, vni, prefix + "0/24", prefix + "1",
              r.nextBoolean(), 1450, List.of(), null, 1));
          return "network add " + id;
        }
        case 6 -> {
          Network net = any(networks);
          if (net == null || networks.size() < 2) {
            return "none";
          }
          networks.remove(net.id());
          ports.values().removeIf(p -> p.networkId().equals(net.id()));
          Set<String> left = ports.keySet();
          floatingIps.values().removeIf(f -> !left.contains(f.portId()));
          return "network remove " + net.id();
        }
        case 7 -> {
          Network net = any(networks);
          if (net == null) {
            return "none";
          }
          String prefix = net.cidr().substring(0, net.cidr().lastIndexOf('.') + 1);
          String gatewayHost = r.nextInt(3) == 0 ? any(hosts).name() : null;
          networks.put(net.id(), new Network(net.id(), net.tenantId(), net.name(), net.vni(),
              net.cidr(), r.nextInt(3) == 0 ? null : prefix + "1", !net.dhcp(), net.mtu(),
              net.dnsServers(), gatewayHost, net.revision() + 1));
          return "network change " + net.id();
        }
        case 8 -> {
          if (r.nextBoolean()) {
            String name = "h" + (10 + n);
            hosts.put(name, new Host(name, 100 + n, "192.168.6." + (n % 250), null, 1));
            ofPorts.put(name, new HashMap<>(Map.of("vxlan0", 1)));
            return "host add " + name;
          }
          Host h = any(hosts);
          hosts.put(h.name(), new Host(h.name(), h.datapathId(),
              r.nextInt(4) == 0 ? null : "192.168.7." + (n % 250), h.uplink(), h.revision() + 1));
          return "host readdress " + h.name();
        }
        case 9 -> {
          Host h = any(hosts);
          Host.Uplink uplink = h.uplink() == null
              ? new Host.Uplink("uplink0", "203.0.113." + (10 + n % 100) + "/24", "203.0.113.1")
              : null;
          hosts.put(h.name(), new Host(h.name(), h.datapathId(), h.tunnelIp(), uplink,
              h.revision() + 1));
          if (uplink != null && r.nextInt(4) != 0) {
            bind(h.name(), "uplink0");
          }
          if (r.nextBoolean()) {
            nextHops.put(h.name(), MacAddress.of(String.format("02:aa:00:00:00:%02x", n % 256)));
          } else {
            nextHops.remove(h.name());
          }
          return "uplink " + (uplink == null ? "off" : "on") + " " + h.name();
        }
        case 10 -> {
          Port p = any(ports);
          if (p == null || r.nextInt(3) == 0) {
            FloatingIp f = any(floatingIps);
            if (f != null) {
              floatingIps.remove(f.id());
              return "floating ip remove " + f.id();
            }
            return "none";
          }
          String id = "fip" + n;
          Network net = networks.get(p.networkId());
          floatingIps.put(id, new FloatingIp(id, net.tenantId(),
              "203.0.113." + (150 + n % 100), p.id(), 1));
          return "floating ip add " + id + " -> " + p.id();
        }
        case 11 -> {
          Port p = any(ports);
          if (p == null || p.host() == null) {
            return "none";
          }
          Map<String, Integer> m = ofPorts.computeIfAbsent(p.host(), k -> new HashMap<>());
          if (m.containsKey(p.interfaceName()) && r.nextBoolean()) {
            m.remove(p.interfaceName());
            return "unbind " + p.interfaceName();
          }
          bind(p.host(), p.interfaceName());
          return "bind " + p.interfaceName();
        }
        case 13 -> {
          String tenant = any(tenants).id();
          String id = "sg" + n;
          groups.put(id, new SecurityGroup(id, tenant, id, null, 1));
          return "group add " + id;
        }
        case 14, 15 -> {
          SecurityGroup g = any(groups);
          List<SecurityGroup> same = groups.values().stream().filter(x -> x.tenantId().equals(g.tenantId())).toList();
          String id = "rule" + n;
          int kind = r.nextInt(3);
          Integer proto = kind == 0 ? null : (r.nextBoolean() ? SecurityGroupRule.TCP : SecurityGroupRule.UDP);
          Integer min = proto != null && r.nextBoolean() ? 1 + r.nextInt(2000) : null;
          rules.put(id, new SecurityGroupRule(id, g.id(), r.nextBoolean() ? "ingress" : "egress", proto,
              min, min == null ? null : min + r.nextInt(300), null, null,
              kind == 1 ? "10." + r.nextInt(10) + ".0.0/16" : null,
              kind != 1 && r.nextBoolean() ? same.get(r.nextInt(same.size())).id() : null, 1));
          return "rule add " + id;
        }
        case 16 -> {
          Port p = any(ports);
          if (p == null || r.nextInt(3) == 0) {
            SecurityGroupRule gone = any(rules);
            if (gone == null) {
              return "none";
            }
            rules.remove(gone.id());
            return "rule delete " + gone.id();
          }
          String tenant = networks.get(p.networkId()).tenantId();
          List<String> mine = new ArrayList<>();
          groups.values().stream().filter(g -> g.tenantId().equals(tenant) && r.nextBoolean())
              .forEach(g -> mine.add(g.id()));
          ports.put(p.id(), new Port(p.id(), p.networkId(), p.name(), p.mac(), p.ip(), p.host(),
              p.interfaceName(), p.portSecurity(), r.nextInt(4) == 0 ? null : mine, p.revision() + 1));
          return "port groups " + p.id() + " " + mine;
        }
        default -> {
          Host h = any(hosts);
          Map<String, Integer> m = ofPorts.computeIfAbsent(h.name(), k -> new HashMap<>());
          if (m.remove("vxlan0") == null) {
            m.put("vxlan0", 1);
            return "vxlan0 up " + h.name();
          }
          return "vxlan0 gone " + h.name();
        }
      }
    }

    /** Binds an interface on a host to a fresh OpenFlow port number. */
    private void bind(String host, String interfaceName) {
      Map<String, Integer> m = ofPorts.computeIfAbsent(host, k -> new HashMap<>());
      m.put(interfaceName, 2 + m.values().stream().mapToInt(Integer::intValue).max().orElse(1));
    }

    private <T> T any(Map<String, T> items) {
      if (items.isEmpty()) {
        return null;
      }
      List<T> values = new ArrayList<>(items.values());
      return values.get(r.nextInt(values.size()));
    }
  }
}
