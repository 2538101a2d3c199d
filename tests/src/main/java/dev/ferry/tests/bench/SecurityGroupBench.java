package dev.ferry.tests.bench;

import dev.ferry.apps.compile.CompileMemo;
import dev.ferry.apps.compile.HostCompiler;
import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.model.SecurityGroup;
import dev.ferry.apps.model.SecurityGroupRule;
import dev.ferry.apps.model.Tenant;
import dev.ferry.apps.nat.NextHops;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Security group figures (docs/performance.md): flows on one host for 100 ports in 10 groups
 * of 20 rules each (half of them with a remote group, the rest port ranges from prefixes), and
 * the compile time of every host after one rule change at 100 hosts x 100 ports.
 *
 * <p>Run: java -cp tests/target/classes:... dev.ferry.tests.bench.SecurityGroupBench [count | full |
 * incremental | all] [hosts timed, 100]
 */
public final class SecurityGroupBench {
  private SecurityGroupBench() {}

  public static void main(String[] args) {
    Model small = model(1, 100);
    Bindings b1 = bindings(1, 100);
    int withGroups = HostCompiler.compile(small, b1, "h0").flows().size();
    int base = HostCompiler.compile(withoutRules(small), b1, "h0").flows().size();
    System.out.printf("one host, 100 ports, 10 groups x 20 rules: %d flows (%d without any rule)%n", withGroups, base);
    Map<String, Integer> perTable = new java.util.TreeMap<>();
    HostCompiler.compile(small, b1, "h0").flows().forEach(f ->
        perTable.merge(String.format("%02d %s", f.tableId(), dev.ferry.apps.pipeline.Table.byId(f.tableId()).tableName()), 1, Integer::sum));
    System.out.println("per table: " + perTable);

    Model big = model(100, 100);
    Bindings b = bindings(100, 100);
    System.out.printf("100 x 100, host h0: %d flows, %d with the groups' rules removed%n",
        HostCompiler.compile(big, b, "h0").flows().size(), HostCompiler.compile(withoutRules(big), b, "h0").flows().size());
    String mode = args.length > 0 ? args[0] : "all";
    int timed = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    if (mode.equals("count")) {
      return;
    }
    for (int i = 0; i < 3; i++) { // warm-up
      HostCompiler.compile(big, b, "h" + i);
    }
    Model changed = big.withoutRule("g3-r7");
    if (!mode.equals("incremental")) {
      long start = System.nanoTime();
      int flows = 0;
      for (int h = 0; h < timed; h++) {
        flows += HostCompiler.compile(changed, b, "h" + h).flows().size();
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      System.out.printf("100 hosts x 100 ports, one rule deleted, full compile: %d hosts in %d ms (%.1f ms/host), %d flows in all%n",
          timed, ms, ms / (double) timed, flows);
    }
    // The incremental compile (what the engine runs): each host's memo holds its compile of the
    // model before the change; only the recompile after the change is timed. One memo at a time
    // (a memo per host for all 100 would hold every host's flows at once).
    long incremental = 0;
    long[] perHost = new long[timed];
    for (int h = 0; h < timed; h++) {
      CompileMemo memo = CompileMemo.create();
      HostCompiler.compile(big, b, NextHops.NONE, "h" + h, memo);
      long t0 = System.nanoTime();
      HostCompiler.compile(changed, b, NextHops.NONE, "h" + h, memo);
      perHost[h] = System.nanoTime() - t0;
      incremental += perHost[h];
    }
    java.util.Arrays.sort(perHost);
    System.out.printf("100 hosts x 100 ports, one rule deleted, incremental compile: %d hosts in %d ms"
        + " (per host median %.1f ms, min %.1f ms, max %.1f ms)%n", timed, incremental / 1_000_000,
        perHost[timed / 2] / 1e6, perHost[0] / 1e6, perHost[timed - 1] / 1e6);
  }

  private static Model withoutRules(Model m) {
    Model out = m;
    for (String id : m.securityGroupRules().keySet()) {
      out = out.withoutRule(id);
    }
    return out;
  }

  /** One tenant, 10 networks; ports spread over hosts, port i in group i % 10 and default. */
  static Model model(int hosts, int portsPerHost) {
    List<Host> hs = new ArrayList<>();
    for (int h = 0; h < hosts; h++) {
      hs.add(new Host("h" + h, h + 1, "192.168." + (h / 250) + "." + (h % 250 + 1), null, 1));
    }
    List<Network> nets = new ArrayList<>();
    for (int n = 0; n < 10; n++) {
      nets.add(new Network("n" + n, "t", "n" + n, 100 + n, "10." + n + ".0.0/16", "10." + n + ".0.1", true, 1450,
          List.of(), null, 1));
    }
    List<Port> ports = new ArrayList<>();
    int i = 0;
    for (int h = 0; h < hosts; h++) {
      for (int p = 0; p < portsPerHost; p++, i++) {
        int n = i % 10;
        int k = i / 10 + 2;
        ports.add(new Port("p" + i, "n" + n, "p" + i, String.format("02:00:00:%02x:%02x:%02x", n, k >> 8, k & 0xff),
            "10." + n + "." + (k >> 8) + "." + (k & 0xff), "h" + h, "veth" + p, true,
            List.of("default-t", "g" + (i % 10)), 1));
      }
    }
    List<SecurityGroup> groups = new ArrayList<>();
    List<SecurityGroupRule> rules = new ArrayList<>();
    for (int g = 0; g < 10; g++) {
      groups.add(new SecurityGroup("g" + g, "t", "g" + g, null, 1));
      for (int r = 0; r < 20; r++) {
        boolean remote = r % 2 == 0;
        int min = 1000 + 100 * r;
        rules.add(new SecurityGroupRule("g" + g + "-r" + r, "g" + g, r % 4 == 3 ? "egress" : "ingress", 6,
            min, min + 50 + r, null, null, remote ? null : "172.16." + r + ".0/24",
            remote ? "g" + ((g + r) % 10) : null, 1));
      }
    }
    return Model.of(List.of(new Tenant("t", "t", 1)), nets, ports, hs, List.of()).withDefaultGroups()
        .withGroupsAndRules(groups, rules);
  }

  static Bindings bindings(int hosts, int portsPerHost) {
    Map<String, Map<String, Integer>> out = new HashMap<>();
    for (int h = 0; h < hosts; h++) {
      Map<String, Integer> m = new HashMap<>();
      m.put("vxlan0", 1);
      for (int p = 0; p < portsPerHost; p++) {
        m.put("veth" + p, p + 2);
      }
      out.put("h" + h, m);
    }
    return new Bindings(out);
  }
}
