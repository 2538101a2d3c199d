package dev.ferry.tests.harness;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Every latency sample of the measured loops in 1 µs buckets (up to {@link #MAX_MICROS}, the
 * rest in one overflow bucket): the per-loop p50/p99 medians hide the shape of the tail, this
 * shows it (a spike at a fixed value is a timer; a smear is load). Single-threaded: filled by
 * {@link Benchmark}'s loop.
 */
public final class LatencyHistogram {
  static final int MAX_MICROS = 100_000;

  private final long[] counts = new long[MAX_MICROS + 1];
  private long total;
  private long maxNanos;

  public void addAll(long[] nanos) {
    for (long n : nanos) {
      int us = (int) Math.min(MAX_MICROS, Math.max(0, n / 1000));
      counts[us]++;
      maxNanos = Math.max(maxNanos, n);
    }
    total += nanos.length;
  }

  public long total() { return total; }

  /** The smallest bucket (µs, lower bound) holding the p-th percentile; -1 without samples. */
  public long percentileMicros(double p) {
    if (total == 0) {
      return -1;
    }
    long rank = Math.max(1, (long) Math.ceil(p / 100.0 * total));
    long seen = 0;
    for (int us = 0; us < counts.length; us++) {
      seen += counts[us];
      if (seen >= rank) {
        return us;
      }
    }
    return MAX_MICROS;
  }

  /** Share of samples at or above {@code micros}. */
  public double shareAtLeast(long micros) {
    long n = 0;
    for (int us = (int) Math.min(MAX_MICROS, micros); us < counts.length; us++) {
      n += counts[us];
    }
    return total == 0 ? 0 : (double) n / total;
  }

  public String summary() {
    return String.format(Locale.ROOT,
        "latency histogram: %d samples, p50 %d us, p90 %d us, p99 %d us, p99.9 %d us, max %d us,"
            + " >= 1 ms %.3f %%, >= 3 ms %.3f %%",
        total, percentileMicros(50), percentileMicros(90), percentileMicros(99),
        percentileMicros(99.9), maxNanos / 1000, 100 * shareAtLeast(1000), 100 * shareAtLeast(3000));
  }

  /** Writes the summary, then "bucket_us,count" for every non-empty bucket of {@code widthMicros}. */
  public void write(Path file, int widthMicros) throws IOException {
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
      w.println("# " + summary());
      w.println("bucket_us,count");
      for (int from = 0; from < counts.length; from += widthMicros) {
        long n = 0;
        for (int us = from; us < Math.min(counts.length, from + widthMicros); us++) {
          n += counts[us];
        }
        if (n > 0) {
          w.println(from + "," + n);
        }
      }
    }
  }
}
