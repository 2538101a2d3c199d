package dev.ferry.tests.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.tests.lab.ContainerSpec;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabContainer;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.lab.LabProcess;
import dev.ferry.tests.scenario.FerryApi;
import dev.ferry.tests.scenario.FerryProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the controller while a container pings across hosts at 10 per second: the
 * switches keep their flows (secure fail mode), no packet is lost, and the restarted controller
 * finds every switch already right and sends zero flow-mods.
 */
@ExtendWith(LabExtension.class)
class ControllerRestartTest {
  private static final String TOKEN = "restart-test-token";

  @Test
  void killNineAndRestartLosesNoPacketAndSendsNoFlowMod(Lab lab, @TempDir Path dir) throws Exception {
    try (FerryProcess ferry = FerryProcess.start(lab.controllerIp(), Lab.CONTROLLER_PORT, dir, TOKEN)) {
      FerryApi api = new FerryApi(ferry.restUrl(), TOKEN);
      List<LabHost> hosts = lab.addHosts("h1", "h2");
      for (LabHost h : hosts) {
        api.createHost(h.name(), h.datapathIdHex(), h.tunnelIp());
      }
      String net = api.createNetwork(api.createTenant("blue"), "blue-net", 100, "172.17.42.0/24");
      LabContainer b1 = container(api, hosts.get(0), net, "b1", "02:00:00:00:00:02", "172.17.42.2/24");
      LabContainer b2 = container(api, hosts.get(1), net, "b2", "02:00:00:00:00:10", "172.17.42.10/24");
      awaitReconciled(api, hosts);
      assertTrue(b1.ping(b2.ip(), 2, 10) == 2, "no connectivity before the restart");

      LabProcess ping = b1.spawn("ping", "-i", "0.1", "-c", "80", "-W", "1", b2.ip());
      Thread.sleep(1500);
      ferry.kill9();
      Thread.sleep(1000);
      ferry.restart();
      awaitReconciled(api, hosts);
      for (LabHost h : hosts) {
        JsonNode sw = api.get("/v1/switches/" + h.datapathIdHex());
        assertEquals(0, sw.path("reconciles").path("last_flow_mods").asInt(-1),
            h.name() + ": the reconcile after restart changed flows: " + sw);
        assertEquals(0, sw.path("flow_mods_sent").asLong(-1), h.name() + " got flow-mods: " + sw);
      }
      ping.waitFor(20_000);
      String summary = String.join("\n", ping.outputLines());
      Matcher m = Pattern.compile("(\\d+) packets transmitted, (\\d+) received").matcher(summary);
      assertTrue(m.find(), "no ping summary: " + summary);
      assertEquals("80", m.group(1));
      assertEquals("80", m.group(2), "packets were lost across the controller restart: " + summary);
    }
  }

  private static LabContainer container(FerryApi api, LabHost h, String net, String name, String mac, String ip) {
    LabContainer c = h.addContainer(ContainerSpec.of(name, mac, ip));
    api.createPort(net, name, mac, c.ip(), h.name(), c.ovsPort());
    return c;
  }

  /** Waits until each host's switch is connected and has finished at least one reconcile. */
  private static void awaitReconciled(FerryApi api, List<LabHost> hosts) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    for (LabHost h : hosts) {
      while (true) {
        JsonNode sw = trySwitch(api, h);
        if (sw != null && sw.path("reconciles").path("completed").asLong() >= 1) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError(h.name() + " was not reconciled: " + sw);
        }
        Thread.sleep(50);
      }
    }
  }

  private static JsonNode trySwitch(FerryApi api, LabHost h) {
    try {
      return api.get("/v1/switches/" + h.datapathIdHex());
    } catch (RuntimeException notYet) {
      return null;
    }
  }
}
