package dev.ferry.tests.bench;

import dev.ferry.apps.compile.CompileMemo;
import dev.ferry.apps.compile.HostCompiler;
import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.nat.NextHops;
import dev.ferry.southbound.flow.DesiredState;
import dev.ferry.southbound.flow.FlowDiff;
import dev.ferry.southbound.flow.FlowReconciler;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/**
 * One port add's per-switch cost in process (no switch, no store): the compile of one host and
 * the diff against what its switch was last brought to, as the engine's worker runs them.
 * ScaleBench's layout: a rack of {@code RACK} hosts is one tenant with 10 networks, every host
 * has P/10 ports in each, and every port (port security on, no groups named) is in the
 * tenant's default group, whose ingress rule names the group itself: each host holds the
 * address set of the whole rack. Then {@code TRIES} times: add one port on host {@code t % RACK}
 * (so 9 in 10 adds are remote to host 0, as for 9 of the 10 switches a ScaleBench add
 * reaches) and, for host 0, time (a) the full compile (no memo), (b) the incremental compile
 * with its memo and (c) compile + {@link FlowReconciler#planUpdate} (the incremental
 * reconcile's diff) against the previous state. Checks every incremental compile against the
 * full one and every diff against the diff of the full states. Prints medians and p99 in
 * microseconds, of wall time and, for (c), of the thread's CPU time too (less sensitive to
 * other processes on a shared machine; it still includes this JVM's GC pauses only as wall). Building the snapshot (Model.of) is not timed; its index is built before the
 * clock starts.
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
    RackLayout layout = RackLayout.of(portsPerHost, rack);
    CompileMemo memo = CompileMemo.create();
    CompileMemo pathMemo = CompileMemo.create();
    Model model = layout.model().withDefaultGroups();
    HostCompiler.compile(model, layout.bindings(), NextHops.NONE, "host0", memo);
    DesiredState installed = HostCompiler.compile(model, layout.bindings(), NextHops.NONE,
        "host0", pathMemo);
    DesiredState reference = installed;
    long[] full = new long[tries];
    long[] incremental = new long[tries];
    long[] path = new long[tries];
    long[] pathCpu = new long[tries];
    java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
    int flowsBefore = installed.flows().size();
    int flows = flowsBefore;
    for (int t = 0; t < tries; t++) {
      int id = rack * portsPerHost + t;
      String host = "host" + (t % rack);
      layout.addPort(host, id, t % RackLayout.NETWORKS, 2 + portsPerHost + t);
      model = layout.model().withDefaultGroups();
      Bindings bindings = layout.bindings();
      model.portsOf("n0"); // the snapshot's index, built once per write whichever compile runs
      long start = System.nanoTime();
      DesiredState previous = reference;
      reference = HostCompiler.compile(model, bindings, NextHops.NONE, "host0");
      full[t] = System.nanoTime() - start;
      start = System.nanoTime();
      DesiredState state = HostCompiler.compile(model, bindings, NextHops.NONE, "host0", memo);
      incremental[t] = System.nanoTime() - start;
      if (!state.equals(reference)) {
        throw new IllegalStateException("incremental compile differs from full at try " + t);
      }
      start = System.nanoTime();
      long startCpu = cpu.getCurrentThreadCpuTime();
      DesiredState desired = HostCompiler.compile(model, bindings, NextHops.NONE, "host0", pathMemo);
      FlowReconciler.Update update = FlowReconciler.planUpdate(installed, desired, g -> true, m -> true);
      pathCpu[t] = cpu.getCurrentThreadCpuTime() - startCpu;
      path[t] = System.nanoTime() - start;
      checkDiff(update.flows(), FlowDiff.betweenDesired(reference.flows(), previous.flows()), t);
      installed = update.installed();
      flows = state.flows().size();
    }
    System.out.printf("one port add, one host (%d flows before, %d after, %d tries, first half warm-up):%n",
        flowsBefore, flows, tries);
    System.out.printf("  full compile        p50 %.0f us, p99 %.0f us%n", pct(full, 50), pct(full, 99));
    System.out.printf("  incremental compile p50 %.0f us, p99 %.0f us (memo: %d hits, %d misses)%n",
        pct(incremental, 50), pct(incremental, 99), memo.hits(), memo.misses());
    System.out.printf("  compile + diff      p50 %.0f us, p99 %.0f us; its thread's CPU time p50 %.0f us, p99 %.0f us%n",
        pct(path, 50), pct(path, 99), pct(pathCpu, 50), pct(pathCpu, 99));
  }

  /** The diff of the incremental path is the diff of the full states (as sets of flows). */
  private static void checkDiff(FlowDiff got, FlowDiff want, int t) {
    if (!new HashSet<>(got.add()).equals(new HashSet<>(want.add()))
        || !new HashSet<>(got.delete()).equals(new HashSet<>(want.delete()))
        || !new HashSet<>(got.modify()).equals(new HashSet<>(want.modify()))) {
      throw new IllegalStateException("the update's diff differs from the full diff at try " + t
          + ": " + got + " vs " + want);
    }
  }


  /** Percentile of the second half (the first half warms the JIT up). */
  private static double pct(long[] nanos, int p) {
    long[] warm = Arrays.copyOfRange(nanos, nanos.length / 2, nanos.length);
    Arrays.sort(warm);
    return warm[Math.min(warm.length - 1, warm.length * p / 100)] / 1000.0;
  }
}
