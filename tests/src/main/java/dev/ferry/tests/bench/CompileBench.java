package dev.ferry.tests.bench;

import dev.ferry.apps.compile.CompileMemo;
import dev.ferry.apps.compile.HostCompiler;
import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.model.Tenant;
import dev.ferry.apps.nat.NextHops;
import dev.ferry.southbound.flow.DesiredState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One port add's compile for one host, full vs incremental, in process (no switch, no store):
 * ScaleBench's layout (a rack of {@code RACK} hosts is one tenant with 10 networks, every host
 * has P/10 ports in each), then {@code TRIES} times: add one port on host 0 and compile host 0
 * from the new snapshot, once without a memo (the full compile) and once with the host's memo
 * kept from the previous compile. Prints medians and p99 in microseconds. Building the
 * snapshot (Model.of) is not timed; its index is built before the clock starts.
 *
 * <p>{@code java -cp 'tests/target/ferry-tests.jar:tests/target/lib/*'
 * dev.ferry.tests.bench.CompileBench [PORTS_PER_HOST=100] [RACK=10] [TRIES=300]}
 */
public final class CompileBench {
  private CompileBench() {}

  public static void main(String[] args) {
    int portsPerHost = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int rack = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int tries = args.length > 2 ? Integer.parseInt(args[2]) : 300;
    List<Tenant> tenants = List.of(new Tenant("t0", "t0", 1));
    List<Network> networks = new ArrayList<>();
    for (int n = 0; n < 10; n++) {
      networks.add(new Network("n" + n, "t0", "n" + n, 0x10000 + n, "10." + n + ".0.0/16",
          "10." + n + ".0.1", true, 1450, List.of(), null, 1));
    }
    List<Host> hosts = new ArrayList<>();
    Map<String, Map<String, Integer>> ofPorts = new HashMap<>();
    List<Port> ports = new ArrayList<>();
    for (int h = 0; h < rack; h++) {
      String name = "host" + h;
      hosts.add(new Host(name, h + 1, "192.168.0." + (h + 2), null, 1));
      Map<String, Integer> bound = new HashMap<>(Map.of("vxlan0", 1));
      for (int i = 0; i < portsPerHost; i++) {
        ports.add(port(networks.get(i % 10), name, h * portsPerHost + i));
        bound.put("if" + (h * portsPerHost + i), 2 + i);
      }
      ofPorts.put(name, bound);
    }
    CompileMemo memo = CompileMemo.create();
    Model model = Model.of(tenants, networks, ports, hosts, List.of());
    HostCompiler.compile(model, new Bindings(ofPorts), NextHops.NONE, "host0", memo);
    long[] full = new long[tries];
    long[] incremental = new long[tries];
    long[] view = new long[tries];
    int flows = 0;
    for (int t = 0; t < tries; t++) {
      int id = rack * portsPerHost + t;
      ports.add(port(networks.get(t % 10), "host0", id));
      ofPorts.get("host0").put("if" + id, 2 + portsPerHost + t);
      model = Model.of(tenants, networks, ports, hosts, List.of());
      Bindings bindings = new Bindings(ofPorts);
      model.portsOf("n0"); // the snapshot's index, built once per write whichever compile runs
      long start = System.nanoTime();
      DesiredState reference = HostCompiler.compile(model, bindings, NextHops.NONE, "host0");
      full[t] = System.nanoTime() - start;
      start = System.nanoTime();
      DesiredState state = HostCompiler.compile(model, bindings, NextHops.NONE, "host0", memo);
      incremental[t] = System.nanoTime() - start;
      start = System.nanoTime();
      dev.ferry.apps.compile.HostView.of(model, bindings, "host0");
      view[t] = System.nanoTime() - start;
      if (!state.equals(reference)) {
        throw new IllegalStateException("incremental compile differs from full at try " + t);
      }
      flows = state.flows().size();
    }
    System.out.printf("one port add, compile of one host (%d flows, %d tries, first half warm-up):%n",
        flows, tries);
    System.out.printf("  full        p50 %.0f us, p99 %.0f us%n", pct(full, 50), pct(full, 99));
    System.out.printf("  incremental p50 %.0f us, p99 %.0f us (memo: %d hits, %d misses)%n",
        pct(incremental, 50), pct(incremental, 99), memo.hits(), memo.misses());
    System.out.printf("  of which HostView.of alone p50 %.0f us, p99 %.0f us%n",
        pct(view, 50), pct(view, 99));
  }

  private static Port port(Network n, String host, int id) {
    return new Port("p" + id, n.id(), "p" + id,
        String.format("02:00:%02x:%02x:%02x:%02x", (id >> 24) & 0xff, (id >> 16) & 0xff,
            (id >> 8) & 0xff, id & 0xff),
        "10." + (n.vni() - 0x10000) + "." + (id / 250 % 250) + "." + (2 + id % 250),
        host, "if" + id, true, 1);
  }

  /** Percentile of the second half (the first half warms the JIT up). */
  private static double pct(long[] nanos, int p) {
    long[] warm = Arrays.copyOfRange(nanos, nanos.length / 2, nanos.length);
    Arrays.sort(warm);
    return warm[Math.min(warm.length - 1, warm.length * p / 100)] / 1000.0;
  }
}
