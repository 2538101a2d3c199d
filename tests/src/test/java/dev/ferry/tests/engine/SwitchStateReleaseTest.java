package dev.ferry.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.controller.Ferry;
import dev.ferry.controller.FerryConfig;
import dev.ferry.tests.harness.EmulatorConfig;
import dev.ferry.tests.harness.SwitchEmulator;
import dev.ferry.tests.scenario.FerryApi;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * A switch that disconnects leaves none of its state in Ferry's heap: its worker drops the
 * installed flows and the compile memo it kept for incremental runs (at 1,000 hosts they were
 * 2 GiB after every switch had gone), and a reconnect is served by a full run as before.
 */
class SwitchStateReleaseTest {
  private static final String TOKEN = "release-test-token";

  @TempDir
  Path dataDir;

  @Test
  void aDisconnectedSwitchKeepsNoStateAndAReconnectGetsItsFlowsBack() throws Exception {
    try (Ferry ferry = new Ferry(FerryConfig.forTest(dataDir, TOKEN)).start()) {
      FerryApi api = new FerryApi("http://127.0.0.1:" + ferry.restPort(), TOKEN).waitingForSwitches();
      EmulatorConfig cfg = EmulatorConfig.of("127.0.0.1", ferry.openflowPort(), 1, OFVersion.OF_13);
      long flows;
      try (SwitchEmulator emulator = SwitchEmulator.connect(cfg)) {
        emulator.awaitReady(Duration.ofSeconds(10));
        api.createHost("h1", "0000000000000001", "192.168.0.1");
        String net = api.createNetwork(api.createTenant("t"), "n", 100, "10.0.0.0/24");
        api.createPort(net, "p1", null, null, "h1", "s1-eth1");
        flows = emulator.switches().get(0).flowCount();
        assertTrue(flows > 0, "the switch got no flows");
        assertEquals(1, ferry.engine().switchStatesKept(), "the connected switch's state is kept");
      }
      // The disconnect reaches the engine asynchronously: wait for it, with a deadline.
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (ferry.engine().switchStatesKept() != 0) {
        assertTrue(System.nanoTime() < deadline, "the disconnected switch's state is still kept");
        Thread.sleep(10);
      }
      try (SwitchEmulator again = SwitchEmulator.connect(cfg)) {
        again.awaitReady(Duration.ofSeconds(10));
        again.awaitFlows(sw -> (int) flows, Duration.ofSeconds(20));
        assertEquals(flows, again.switches().get(0).flowCount(), "the reconnected switch got every flow back");
      }
    }
  }
}
