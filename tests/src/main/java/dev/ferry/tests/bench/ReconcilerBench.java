package dev.ferry.tests.bench;

import dev.ferry.southbound.OpenFlowServer;
import dev.ferry.southbound.SouthboundConfig;
import dev.ferry.southbound.SwitchHandle;
import dev.ferry.southbound.SwitchListener;
import dev.ferry.southbound.flow.DesiredState;
import dev.ferry.southbound.flow.FlowReconciler;
import dev.ferry.southbound.flow.ReconcileResult;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.projectfloodlight.openflow.protocol.OFVersion;

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
    System.out.println("target     flows   median ms  flow-mods/s  ctrl CPU/wall  switch CPU/wall  hottest JVM thread CPU/wall   (all runs ms)");
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
      reconcileOnce(sw, PipelineFlows.desired(2_000), null); // warm-up: JIT, OVS classifier
      for (int size : sizes) {
        DesiredState desired = PipelineFlows.desired(size);
        List<Run> runs = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
          host.ofctl("del-flows", FERRY_COOKIES);
          check(host.dumpFlows().size() == 0, "flows left before a fresh run");
          runs.add(reconcileOnce(sw, desired, vswitchd));
          check(host.dumpFlows().size() == size, "OVS holds " + host.dumpFlows().size() + " flows, not " + size);
        }
        lines.add(line("OVS 3.1", runs));
        lines.add(line("OVS idle", List.of(reconcileOnce(sw, desired, vswitchd)))
            + "   <- converged: read " + size + " flows back, diff, send nothing");
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
              lines.add(line("emulator", runs));
              lines.add(line("emu idle", List.of(reconcileOnce(sw, desired, null)))
                  + "   <- converged: read " + size + " flows back, diff, send nothing");
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

  private Run reconcileOnce(SwitchHandle sw, DesiredState desired, ProcessSampler switchProcess) throws Exception {
    Map<Long, Long> threadsBefore = threadCpu();
    long jvmBefore = jvm.cpuNanos();
    long switchBefore = switchProcess == null ? 0 : switchProcess.cpuNanos();
    long start = System.nanoTime();
    ReconcileResult result = reconciler.reconcile(sw, desired).get(5, TimeUnit.MINUTES);
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
    return new Run(result.flowMods(), wall, jvmCpu, switchCpu, hottest, hottestName);
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

  private static String line(String target, List<Run> runs) {
    List<Run> sorted = runs.stream().sorted((a, b) -> Long.compare(a.wallNanos(), b.wallNanos())).toList();
    Run median = sorted.get(sorted.size() / 2);
    double wall = median.wallNanos();
    return String.format("%-9s %6d %11.1f %12.0f %14.2f %16s %10.2f %-18s %s",
        target, median.flows(), wall / 1e6, median.flowModsPerSecond(), median.jvmCpuNanos() / wall,
        target.startsWith("OVS") ? String.format("%.2f", median.switchCpuNanos() / wall) : "(in JVM)",
        median.hottestThreadNanos() / wall, median.hottestThread(),
        runs.stream().map(r -> String.format("%.0f", r.wallNanos() / 1e6)).toList());
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what);
    }
  }
}
