package dev.ferry.tests.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

/** Prints results as a table and appends them to a CSV (header written once per file). */
public final class BenchReport {
  static final String CSV_HEADER = "controller,workload,mode,ofversion,switches,loops,"
      + "responses_per_s_median,responses_per_s_min,responses_per_s_max,latency_p50_us,"
      + "latency_p99_us,controller_cpu_pct,controller_rss_mib,sent,responses,packet_outs,"
      + "flow_mods,matched,timeouts,wrong_answers,harness_cpu_pct,responses_per_cpu_s,loadavg_1m";
  private static final String ROW = "%-26s %-7s %-10s %-4s %4d %12.0f %10.1f %10.1f %7.1f %10.0f %8.1f %8d %8d %7.1f%n";

  private BenchReport() {}

  public static void printTable(List<BenchResult> results, PrintStream out, boolean header) {
    if (header) {
      printHeader(out);
    }
    for (BenchResult r : results) {
      printRow(r, out);
    }
  }

  public static void printHeader(PrintStream out) {
    out.printf(Locale.ROOT, "%-26s %-7s %-10s %-4s %4s %12s %10s %10s %7s %10s %8s %8s %8s %7s%n",
        "controller", "load", "mode", "of", "sw", "resp/s(med)", "p50(us)", "p99(us)", "cpu%", "resp/cpu-s",
        "rss(MiB)", "timeouts", "wrong", "self%");
  }


  private static void printRow(BenchResult r, PrintStream out) {
    BenchScenario s = r.scenario();
    LoadCounters t = r.totals();
    out.printf(Locale.ROOT, ROW, s.controller(), s.workload(), s.mode().name().toLowerCase(Locale.ROOT),
        s.ofVersion(), s.switches(), r.medianResponsesPerSecond(), r.medianP50Micros(),
        r.medianP99Micros(), r.medianCpuPercent(), r.responsesPerCpuSecond(),
        r.maxRssKib() / 1024.0, t.timeouts(), t.wrongAnswers(), r.medianHarnessCpuPercent());
  }

  public static void appendCsv(List<BenchResult> results, Path csv) {
    StringBuilder sb = new StringBuilder();
    if (!Files.exists(csv)) {
      sb.append(CSV_HEADER).append('\n');
    }
    for (BenchResult r : results) {
      sb.append(csvRow(r)).append('\n');
    }
    try {
      Files.writeString(csv, sb, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String csvRow(BenchResult r) {
    BenchScenario s = r.scenario();
    LoadCounters t = r.totals();
    double min = r.loops().stream().mapToDouble(LoopResult::responsesPerSecond).min().orElse(0);
    double max = r.loops().stream().mapToDouble(LoopResult::responsesPerSecond).max().orElse(0);
    return String.format(Locale.ROOT, "%s,%s,%s,%s,%d,%d,%.0f,%.0f,%.0f,%.1f,%.1f,%.1f,%.1f,%d,%d,%d,%d,%d,%d,%d,%.1f,%.0f,%s",
        s.controller(), s.workload(), s.mode().name().toLowerCase(Locale.ROOT), s.ofVersion(),
        s.switches(), r.loops().size(), r.medianResponsesPerSecond(), min, max,
        r.medianP50Micros(), r.medianP99Micros(), r.medianCpuPercent(), r.maxRssKib() / 1024.0,
        t.sent(), t.responses(), t.packetOuts(), t.flowMods(), t.matched(), t.timeouts(),
        t.wrongAnswers(), r.medianHarnessCpuPercent(), r.responsesPerCpuSecond(), loadAverage());
  }

  /** The 1-minute load average: other work on the machine skews every figure of a run. */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "";
    }
  }
}
