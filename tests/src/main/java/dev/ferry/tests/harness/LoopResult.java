package dev.ferry.tests.harness;

/**
 * One measured loop: answers per second, latency percentiles (ns, -1 without samples), the
 * controller's CPU use in percent of one core and its RSS at the loop's end (-1 unknown), and the harness's own CPU use (near 100 would mean
 * the load side, not the controller, set the pace).
 */
public record LoopResult(double responsesPerSecond, long p50Nanos, long p99Nanos,
    double controllerCpuPercent, long controllerRssKib, double harnessCpuPercent,
    LoadCounters counters) {}
