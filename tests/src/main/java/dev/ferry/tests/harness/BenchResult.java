package dev.ferry.tests.harness;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** A scenario's measured loops (warm-up excluded) and their medians. */
public record BenchResult(BenchScenario scenario, List<LoopResult> loops) {

  public double medianResponsesPerSecond() { return median(LoopResult::responsesPerSecond); }

  public double medianP50Micros() { return median(l -> l.p50Nanos() / 1000.0); }

  public double medianP99Micros() { return median(l -> l.p99Nanos() / 1000.0); }

  public double medianCpuPercent() { return median(LoopResult::controllerCpuPercent); }

  public double medianHarnessCpuPercent() { return median(LoopResult::harnessCpuPercent); }

  /**
   * Answers per second of controller CPU: robust to a controller starved of its core by
   * other processes (this machine's two cores are shared), meaningless without its pid.
   */
  public double responsesPerCpuSecond() {
    double cpu = medianCpuPercent();
    return cpu > 0 ? medianResponsesPerSecond() / (cpu / 100.0) : Double.NaN;
  }

  public long maxRssKib() { return loops.stream().mapToLong(LoopResult::controllerRssKib).max().orElse(-1); }

  public LoadCounters totals() {
    return loops.stream().map(LoopResult::counters).reduce(LoadCounters.ZERO, LoadCounters::plus);
  }

  private double median(ToDoubleFunction<LoopResult> f) {
    double[] v = loops.stream().mapToDouble(f).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  static long percentile(long[] sortedSamples, double p) {
    if (sortedSamples.length == 0) {
      return -1;
    }
    int i = (int) Math.ceil(p / 100.0 * sortedSamples.length) - 1;
    return sortedSamples[Math.max(0, Math.min(sortedSamples.length - 1, i))];
  }

  static long[] sorted(long[] samples) {
    long[] s = samples.clone();
    Arrays.sort(s);
    return s;
  }
}
