package dev.ferry.tests.bench;

import dev.ferry.southbound.OpenFlowServer;
import dev.ferry.southbound.SouthboundConfig;
import dev.ferry.southbound.SwitchHandle;
import dev.ferry.southbound.SwitchListener;
import dev.ferry.southbound.flow.DesiredState;
import dev.ferry.southbound.flow.FlowReconciler;
import dev.ferry.southbound.flow.ActualState;
import dev.ferry.southbound.flow.FerryCookie;
import dev.ferry.southbound.flow.FlowDiff;
import dev.ferry.southbound.flow.FlowEntry;
import dev.ferry.tests.harness.EmulatedSwitch;
import dev.ferry.tests.harness.EmulatorConfig;
import dev.ferry.tests.harness.ProcessSampler;
import dev.ferry.tests.harness.SwitchEmulator;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabHost;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.U64;

/**
 * Flow-mods per second from {@link FlowReconciler} into one switch, fresh (no Ferry flows) to
 * converged, timed from reconcile start to the last barrier reply; median of {@code repeats}.
 * Targets: one real OVS 3.1 (userspace datapath, in a lab namespace) and the in-process
 * {@link SwitchEmulator}. CPU columns say who the bottleneck is: controller JVM CPU and
 * ovs-vswitchd CPU (/proc), each as a share of wall time (1.00 = one core busy all along).
 *
 * <pre>
 *   mvn -q -B -o -pl tests -am package -DskipTests
 *   java -cp 'tests/target/classes:tests/target/lib/*' dev.ferry.tests.bench.ReconcilerBench [repeats] [sizes...]
 * </pre>
 * Needs root and OVS (it builds a one-host lab), like the lab tests.
 */
public final class ReconcilerBench {
  private static final String FERRY_COOKIES = "cookie=0xfe00000000000000/0xff00000000000000";
  private static final Duration READY = Duration.ofSeconds(20);

  /** One timed reconcile: wall time and CPU of each side during it. */
  record Run(int flows, long wallNanos, long jvmCpuNanos, long switchCpuNanos, long hottestThreadNanos,
      String hottestThread) {
    double flowModsPerSecond() {
      return flows * 1e9 / wallNanos;
    }
  }

  private final ProcessSampler jvm = new ProcessSampler(ProcessHandle.current().pid());
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final FlowReconciler reconciler = new FlowReconciler();
  private final Map<Long, CompletableFuture<SwitchHandle>> ready = new ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int[] sizes = args.length > 1
        ? Arrays.stream(args).skip(1).mapToInt(Integer::parseInt).toArray() : new int[] {2_000, 20_000};
    ReconcilerBench bench = new ReconcilerBench();
    List<String> report = new ArrayList<>();
    report.addAll(bench.onOvs(sizes, repeats));
    report.addAll(bench.onEmulator(sizes, repeats));
    System.out.println();
    System.out.println("CPU/wall: cores kept busy (1.00 = one core); us/flow: CPU microseconds per flow of the desired set;");
    System.out.println("ctrl = this JVM (it also hosts the emulator in emulator rows); OVS = ovs-vswitchd (/proc utime+stime).");
    System.out.println("row       flows  flowmods  median-ms flowmods/s ctrl-C/W OVS-C/W ctrl-us/f OVS-us/f  hottest JVM thread C/W  (all runs, ms)");
    report.forEach(System.out::println);
    System.exit(0);
  }

  private List<String> onOvs(int[] sizes, int repeats) throws Exception {
    List<String> lines = new ArrayList<>();
    try (Lab lab = Lab.start();
        OpenFlowServer server = startServer(lab.controllerListenAddress())) {
      LabHost host = lab.addHost("b1");
      SwitchHandle sw = awaitReady(host.datapathId());
      ProcessSampler vswitchd = new ProcessSampler(host.daemonPids().get(1));
      warmUp(sw);
      for (int size : sizes) {
        DesiredState desired = PipelineFlows.desired(size);
        List<Run> runs = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
          host.ofctl("del-flows", FERRY_COOKIES);
          check(host.dumpFlows().size() == 0, "flows left before a fresh run");
          runs.add(reconcileOnce(sw, desired, vswitchd));
          check(host.dumpFlows().size() == size, "OVS holds " + host.dumpFlows().size() + " flows, not " + size);
        }
        lines.add(line("OVS 3.1", size, runs));
        lines.add(line("OVS idle", size, List.of(reconcileOnce(sw, desired, vswitchd)))
            + "   <- converged: read " + size + " flows back, diff, send nothing");
        lines.add(line("OVS read", size, List.of(readBack(sw, vswitchd))) + "   <- flow stats of " + size + " flows only");
        lines.add(line("diff", size, List.of(diffOnly(sw, desired))) + "   <- FlowDiff.between(desired, read-back), pure CPU");
      }
      host.ofctl("del-flows", FERRY_COOKIES);
    }
    return lines;
  }

  private List<String> onEmulator(int[] sizes, int repeats) throws Exception {
    List<String> lines = new ArrayList<>();
    try (OpenFlowServer server = startServer(new InetSocketAddress("127.0.0.1", 0))) {
      int port = server.boundAddress().getPort();
      for (int size : sizes) {
        DesiredState desired = PipelineFlows.desired(size);
        List<Run> runs = new ArrayList<>();
        for (int r = -1; r < repeats; r++) { // r = -1: warm-up
          EmulatorConfig config = EmulatorConfig.of("127.0.0.1", port, 1, OFVersion.OF_13);
          ready.remove(config.firstDpid()); // before connecting: the handshake may finish at once
          try (SwitchEmulator emu = SwitchEmulator.connect(config)) {
            EmulatedSwitch fresh = emu.switches().get(0);
            SwitchHandle sw = awaitReady(fresh.dpid());
            Run run = reconcileOnce(sw, desired, null);
            check(fresh.flowCount() == size, "emulator holds " + fresh.flowCount() + " flows, not " + size);
            if (r >= 0) {
              runs.add(run);
            }
            if (r == repeats - 1) {
              lines.add(line("emulator", size, runs));
              lines.add(line("emu idle", size, List.of(reconcileOnce(sw, desired, null)))
                  + "   <- converged: read " + size + " flows back, diff, send nothing");
              lines.add(line("emu read", size, List.of(readBack(sw, null))) + "   <- flow stats of " + size + " flows only");
            }
          }
        }
      }
    }
    return lines;
  }

  private OpenFlowServer startServer(InetSocketAddress address) throws InterruptedException {
    OpenFlowServer server = new OpenFlowServer(SouthboundConfig.defaults().withBindAddress(address));
    server.addListener(new SwitchListener() {
      @Override
      public void switchReady(SwitchHandle sw) {
        ready.computeIfAbsent(sw.datapathId(), k -> new CompletableFuture<>()).complete(sw);
      }
    });
    return server.start();
  }

  private SwitchHandle awaitReady(long dpid) throws Exception {
    return ready.computeIfAbsent(dpid, k -> new CompletableFuture<>()).get(READY.toSeconds(), TimeUnit.SECONDS);
  }

  /** JIT-compiles every path that is timed: fresh install, idle reconcile, read-back. */
  private void warmUp(SwitchHandle sw) throws Exception {
    for (int i = 0; i < 3; i++) {
      reconcileOnce(sw, PipelineFlows.desired(2_000), null);
      reconcileOnce(sw, PipelineFlows.desired(2_000), null);
      readBack(sw, null);
      reconcileOnce(sw, DesiredState.EMPTY, null);
    }
  }

  private Run reconcileOnce(SwitchHandle sw, DesiredState desired, ProcessSampler switchProcess) throws Exception {
    return timed(switchProcess, () -> reconciler.reconcile(sw, desired).get(5, TimeUnit.MINUTES).flowMods());
  }

  /** Reading Ferry's flows back (flow stats multipart), which every reconcile starts with. */
  private Run readBack(SwitchHandle sw, ProcessSampler switchProcess) throws Exception {
    return timed(switchProcess, () -> {
      sw.flowStats(U64.of(FerryCookie.FERRY_TAG), U64.of(FerryCookie.FERRY_MASK)).get(5, TimeUnit.MINUTES);
      return 0;
    });
  }

  /** The pure diff of a converged switch, on the flows it reported (read outside the timing). */
  private Run diffOnly(SwitchHandle sw, DesiredState desired) throws Exception {
    List<FlowEntry> actual = sw.flowStats(U64.of(FerryCookie.FERRY_TAG), U64.of(FerryCookie.FERRY_MASK))
        .get(5, TimeUnit.MINUTES).stream().map(ActualState::flow).toList();
    for (int i = 0; i < 3; i++) {
      FlowDiff.between(desired.flows(), actual); // warm-up at this size
    }
    return timed(null, () -> FlowDiff.between(desired.flows(), actual).modify().size());
  }

  private Run timed(ProcessSampler switchProcess, Callable<Integer> work) throws Exception {
    Map<Long, Long> threadsBefore = threadCpu();
    long jvmBefore = jvm.cpuNanos();
    long switchBefore = switchProcess == null ? 0 : switchProcess.cpuNanos();
    long start = System.nanoTime();
    int flowMods = work.call();
    long wall = System.nanoTime() - start;
    long switchCpu = switchProcess == null ? 0 : switchProcess.cpuNanos() - switchBefore;
    long jvmCpu = jvm.cpuNanos() - jvmBefore;
    Map<Long, Long> threadsAfter = threadCpu();
    long hottest = 0;
    String hottestName = "-";
    for (var e : threadsAfter.entrySet()) {
      long used = e.getValue() - threadsBefore.getOrDefault(e.getKey(), 0L);
      if (used > hottest) {
        hottest = used;
        var info = threads.getThreadInfo(e.getKey());
        hottestName = info == null ? "?" : info.getThreadName();
      }
    }
    return new Run(flowMods, wall, jvmCpu, switchCpu, hottest, hottestName);
  }

  private Map<Long, Long> threadCpu() {
    Map<Long, Long> cpu = new HashMap<>();
    for (long id : threads.getAllThreadIds()) {
      long nanos = threads.getThreadCpuTime(id);
      if (nanos >= 0) {
        cpu.put(id, nanos);
      }
    }
    return cpu;
  }

  private static String line(String target, int size, List<Run> runs) {
    List<Run> sorted = runs.stream().sorted((a, b) -> Long.compare(a.wallNanos(), b.wallNanos())).toList();
    Run median = sorted.get(sorted.size() / 2);
    double wall = median.wallNanos();
    boolean ovs = target.startsWith("OVS");
    return String.format("%-9s %6d %8d %9.1f %11.0f %9.2f %8s %9.1f %8s   %.2f %-16s %s",
        target, size, median.flows(), wall / 1e6, median.flowModsPerSecond(),
        median.jvmCpuNanos() / wall, ovs ? String.format("%.2f", median.switchCpuNanos() / wall) : "-",
        median.jvmCpuNanos() / 1e3 / size, ovs ? String.format("%.1f", median.switchCpuNanos() / 1e3 / size) : "-",
        median.hottestThreadNanos() / wall, median.hottestThread(),
        runs.stream().map(r -> String.format("%.0f", r.wallNanos() / 1e6)).toList());
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what);
    }
  }
}
