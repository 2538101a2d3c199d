package dev.ferry.tests.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFVersion;

class BenchReportTest {
  private final BenchResult result = new BenchResult(
      new BenchScenario("echo", "cbench", LoadMode.THROUGHPUT, OFVersion.OF_10, 16),
      List.of(loop(1000, 50), loop(3000, 50), loop(2000, 25)));

  private static LoopResult loop(double rate, double cpu) {
    return new LoopResult(rate, 10_000, 90_000, cpu, 2048, 10,
        new LoadCounters(10, 9, 9, 0, 9, 1, 0));
  }

  @Test
  void csvRowsHaveOneValuePerHeaderColumn() {
    String row = BenchReport.csvRow(result);
    assertEquals(BenchReport.CSV_HEADER.split(",").length, row.split(",", -1).length, row);
    assertTrue(row.startsWith("echo,cbench,throughput,1.0,16,3,2000,1000,3000,"), row);
  }

  @Test
  void mediansAndEfficiencyComeFromTheMeasuredLoops() {
    assertEquals(2000, result.medianResponsesPerSecond());
    assertEquals(4000, result.responsesPerCpuSecond(), 1e-9);
    assertEquals(30, result.totals().sent());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BenchReport.printTable(List.of(result), new PrintStream(out, true, StandardCharsets.UTF_8), true);
    assertEquals(2, out.toString(StandardCharsets.UTF_8).lines().count());
  }
}
