package dev.ferry.tests.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * cbench's loop: start the load, then every {@code loopDuration} read how many answers came
 * back; the first {@code warmupLoops} are dropped, the rest are reported (median in
 * {@link BenchResult}). CPU and RSS come from the controller's /proc entries if its pid is known.
 */
public final class Benchmark {
  private Benchmark() {}

  public static BenchResult run(BenchScenario scenario, LoadGenerator gen, LoadSpec spec,
      Optional<ProcessSampler> controller) throws InterruptedException {
    return run(scenario, gen, spec, controller, new LatencyHistogram());
  }

  /** As above; every measured loop's latency samples also go into {@code histogram}. */
  public static BenchResult run(BenchScenario scenario, LoadGenerator gen, LoadSpec spec,
      Optional<ProcessSampler> controller, LatencyHistogram histogram) throws InterruptedException {
    List<LoopResult> measured = new ArrayList<>();
    gen.start();
    try {
      LoadCounters before = gen.counters();
      gen.takeLatencies();
      ProcessSampler self = new ProcessSampler(ProcessHandle.current().pid());
      long cpuBefore = controller.map(ProcessSampler::cpuNanos).orElse(0L);
      long selfBefore = self.cpuNanos();
      long t0 = System.nanoTime();
      for (int loop = 0; loop < spec.warmupLoops() + spec.loops(); loop++) {
        Thread.sleep(spec.loopDuration().toMillis());
        gen.emulator().firstFailure().ifPresent(f -> {
          throw f;
        });
        LoadCounters now = gen.counters();
        long[] latencies = BenchResult.sorted(gen.takeLatencies());
        long t1 = System.nanoTime();
        long cpuNow = controller.map(ProcessSampler::cpuNanos).orElse(0L);
        long selfNow = self.cpuNanos();
        if (loop >= spec.warmupLoops()) {
          histogram.addAll(latencies);
          measured.add(loopResult(now.minus(before), latencies, t1 - t0, cpuNow - cpuBefore,
              selfNow - selfBefore, controller));
        }
        before = now;
        cpuBefore = cpuNow;
        selfBefore = selfNow;
        t0 = t1;
      }
    } finally {
      gen.stop();
    }
    return new BenchResult(scenario, measured);
  }

  private static LoopResult loopResult(LoadCounters delta, long[] sortedLatencies, long wallNanos,
      long cpuNanos, long selfCpuNanos, Optional<ProcessSampler> controller) {
    double seconds = wallNanos / 1e9;
    return new LoopResult(
        delta.responses() / seconds,
        BenchResult.percentile(sortedLatencies, 50),
        BenchResult.percentile(sortedLatencies, 99),
        controller.isPresent() ? 100.0 * cpuNanos / wallNanos : -1,
        controller.map(ProcessSampler::rssKib).orElse(-1L),
        100.0 * selfCpuNanos / wallNanos,
        delta);
  }
}
