package dev.ferry.tests.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatencyHistogramTest {
  /** 990 answers at 70 µs and 10 stalled at 4.1 ms: the stall is p99.9, not p99. */
  private static LatencyHistogram stalledOnePercent() {
    long[] samples = new long[1000];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = i < 990 ? 70_400 : 4_100_900;
    }
    LatencyHistogram h = new LatencyHistogram();
    h.addAll(samples);
    return h;
  }

  @Test
  void percentilesAreTheBucketHoldingTheRank() {
    LatencyHistogram h = stalledOnePercent();
    assertEquals(1000, h.total());
    assertEquals(70, h.percentileMicros(50));
    assertEquals(70, h.percentileMicros(99));
    assertEquals(4100, h.percentileMicros(99.1));
    assertEquals(4100, h.percentileMicros(99.9));
    assertEquals(0.01, h.shareAtLeast(3000), 1e-9);
  }

  @Test
  void samplesBeyondTheRangeLandInTheLastBucket() {
    LatencyHistogram h = new LatencyHistogram();
    h.addAll(new long[] {-5, 500_000_000_000L});
    assertEquals(0, h.percentileMicros(50));
    assertEquals(LatencyHistogram.MAX_MICROS, h.percentileMicros(100));
  }

  @Test
  void writesNonEmptyBucketsOnly(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("h.txt");
    stalledOnePercent().write(file, 10);
    List<String> lines = Files.readAllLines(file);
    assertTrue(lines.get(0).startsWith("# latency histogram: 1000 samples, p50 70 us"), lines.get(0));
    assertEquals(List.of("bucket_us,count", "70,990", "4100,10"), lines.subList(1, lines.size()));
  }
}
