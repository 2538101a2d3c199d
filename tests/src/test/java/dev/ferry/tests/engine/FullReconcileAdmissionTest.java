package dev.ferry.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.controller.Ferry;
import dev.ferry.controller.FerryConfig;
import dev.ferry.tests.harness.EmulatedSwitch;
import dev.ferry.tests.harness.EmulatorConfig;
import dev.ferry.tests.harness.SwitchEmulator;
import dev.ferry.tests.scenario.FerryApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * A storm of full reconciles has at most N read-backs outstanding at once: counted on the
 * switches' side (from a flow-stats request to its last reply), when all switches connect at
 * once and when all lost their flows and are read back at once by slow switches; and every
 * switch converges (gets all its flows back).
 */
class FullReconcileAdmissionTest {
  private static final String TOKEN = "admission-test-token";
  private static final int SWITCHES = 12;
  private static final int LIMIT = 2;

  @TempDir
  Path dataDir;

  @Test
  void aStormOfFullReconcilesRunsAtMostTheLimitAtOnceAndAllConverge() throws Exception {
    try (Ferry ferry = new Ferry(FerryConfig.forTest(dataDir, TOKEN)).start()) {
      ferry.engine().withMaxFullReconciles(LIMIT);
      FerryApi api = new FerryApi("http://127.0.0.1:" + ferry.restPort(), TOKEN);
      String net = api.createNetwork(api.createTenant("t"), "n", 100, "10.0.0.0/24");
      for (int i = 1; i <= SWITCHES; i++) {
        api.createHost("h" + i, String.format("%016x", i), "192.168.0." + i);
        api.createPort(net, "p" + i, null, null, "h" + i, "s" + i + "-eth1");
      }
      long version = api.get("/v1/version").get("version").asLong();
      EmulatorConfig cfg = EmulatorConfig.of("127.0.0.1", ferry.openflowPort(), SWITCHES, OFVersion.OF_13);
      try (SwitchEmulator emulator = SwitchEmulator.connect(cfg)) {
        emulator.awaitReady(Duration.ofSeconds(20));
        awaitAllHold(ferry, emulator, version);
        List<EmulatedSwitch> switches = emulator.switches();
        Map<Long, Integer> flows = switches.stream()
            .collect(Collectors.toMap(EmulatedSwitch::dpid, EmulatedSwitch::flowCount));
        assertTrue(flows.values().stream().allMatch(n -> n > 0), "a switch got no flows: " + flows);
        assertTrue(mostAtOnce(switches, 0) <= LIMIT,
            "connect storm: " + mostAtOnce(switches, 0) + " read-backs at once");

        // every switch lost its flows and all are read back at once, each read-back answered
        // late: the queue must hold
        long storm = System.nanoTime();
        switches.forEach(sw -> {
          sw.dropAllFlows();
          sw.delayFlowStatsReplies(Duration.ofMillis(100));
        });
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (EmulatedSwitch sw : switches) {
          runs.add(ferry.engine().reconcileFully(sw.dpid()));
        }
        CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        long readBacks = switches.stream().flatMap(sw -> sw.readBackWindows().stream())
            .filter(w -> w[0] >= storm).count();
        assertTrue(readBacks >= SWITCHES, "every switch was read back: " + readBacks);
        int most = mostAtOnce(switches, storm);
        assertTrue(most <= LIMIT, "read-back storm: " + most + " read-backs at once");
        for (EmulatedSwitch sw : switches) {
          assertEquals(flows.get(sw.dpid()), sw.flowCount(), "switch " + sw.dpid() + " got its flows back");
        }
        assertEquals(0, ferry.engine().fullReconcilesWaiting());
        assertEquals(0, ferry.engine().fullReconcilesRunning());
      }
    }
  }

  /** Waits (with a deadline) until Ferry says every switch holds the version. */
  private static void awaitAllHold(Ferry ferry, SwitchEmulator emulator, long version)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!emulator.switches().stream()
        .allMatch(sw -> ferry.engine().installedVersion(sw.dpid()) >= version)) {
      assertTrue(System.nanoTime() < deadline, "not every switch holds version " + version);
      Thread.sleep(10);
    }
  }

  /** The most read-backs (asked at or after {@code since}) outstanding at one instant. */
  private static int mostAtOnce(List<EmulatedSwitch> switches, long since) {
    List<long[]> events = new ArrayList<>(); // {time, +1 open / -1 close}
    for (EmulatedSwitch sw : switches) {
      for (long[] w : sw.readBackWindows()) {
        if (w[0] >= since) {
          events.add(new long[] {w[0], 1});
          events.add(new long[] {w[1], -1});
        }
      }
    }
    events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    int open = 0;
    int most = 0;
    for (long[] e : events) {
      open += (int) e[1];
      most = Math.max(most, open);
    }
    return most;
  }
}
