package dev.ferry.tests.harness;

import java.time.Duration;

/**
 * One load run: mode, per-switch window (throughput mode), how long to wait for an answer
 * before giving up on a packet-in, and the loops (warm-up loops are run but not reported).
 */
public record LoadSpec(LoadMode mode, int window, Duration responseTimeout, int loops,
    int warmupLoops, Duration loopDuration) {

  public LoadSpec {
    if (window < 1) {
      throw new IllegalArgumentException("window must be >= 1");
    }
    if (loops < 1 || warmupLoops < 0) {
      throw new IllegalArgumentException("need loops >= 1 and warmup >= 0");
    }
  }
}
