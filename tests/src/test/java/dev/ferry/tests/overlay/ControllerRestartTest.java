package dev.ferry.tests.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.tests.lab.ContainerSpec;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabContainer;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.lab.LabOutside;
import dev.ferry.tests.lab.LabProcess;
import dev.ferry.tests.scenario.FerryApi;
import dev.ferry.tests.scenario.FerryProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the controller while a container pings across hosts at 10 per second: the
 * switches keep their flows (secure fail mode), no packet is lost, and the restarted controller
 * finds every switch already right and sends zero flow-mods (also with an uplink, a floating
 * IP and stale ARP entries).
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

  /**
   * The same with stale ARP entries, an uplink and a floating IP on h1 (h2 has none): the
   * restarted Ferry still knows the next hop's MAC (kept in its store), so its first reconcile
   * sends 0 flow-mods to either host, and pings east-west and out through the floating IP
   * (5 per second) lose nothing across the restart.
   */
  @Test
  void restartWithUplinkFloatingIpAndStaleArpSendsNoFlowModAndLosesNoPacket(Lab lab, @TempDir Path dir)
      throws Exception {
    try (FerryProcess ferry = FerryProcess.start(lab.controllerIp(), Lab.CONTROLLER_PORT, dir, TOKEN)) {
      FerryApi api = new FerryApi(ferry.restUrl(), TOKEN);
      List<LabHost> hosts = lab.addHosts("h1", "h2");
      for (LabHost h : hosts) {
        api.createHost(h.name(), h.datapathIdHex(), h.tunnelIp());
      }
      LabOutside inet = LabOutside.create(lab, "inet", "203.0.113.1/24");
      inet.connect(hosts.get(0), "up1");
      api.patch("/v1/hosts/h1", Map.of("uplink", Map.of("interface", "up1",
          "address", "203.0.113.11/24", "next_hop", "203.0.113.1")));
      String tenant = api.createTenant("blue");
      String net = api.post("/v1/networks", Map.of("tenant", tenant, "name", "blue-net", "vni", 100,
          "cidr", "10.1.0.0/24", "gateway_ip", "10.1.0.1")).path("id").asText();
      LabContainer a = hosts.get(0).addContainer(
          ContainerSpec.of("a", "02:00:00:00:01:02", "10.1.0.2/24").withGateway("10.1.0.1"));
      String portA = api.createPort(net, "a", a.mac(), a.ip(), "h1", a.ovsPort()).path("id").asText();
      LabContainer c = container(api, hosts.get(1), net, "c", "02:00:00:00:01:03", "10.1.0.3/24");
      api.createPool("public", "203.0.113.0/24", "203.0.113.100", "203.0.113.199");
      api.allowIngressFromAnywhere(tenant);
      api.post("/v1/floating_ips", Map.of("tenant", tenant, "ip", "203.0.113.100", "port", portA));
      awaitReconciled(api, hosts);
      for (LabContainer x : List.of(a, c)) {
        DataplaneAutonomyTest.shortArpTimers(x);
      }
      assertTrue(a.pingOnce(inet.ip(), 10), "a reaches the outside through its floating IP");
      assertEquals(2, a.ping(c.ip(), 2, 10), "no east-west connectivity before the restart");
      assertEquals(2, inet.ping("203.0.113.100", 2, 10), "the outside reaches the floating IP");

      LabProcess eastWest = a.spawn("ping", "-n", "-i", "0.2", "-c", "50", "-W", "1", c.ip());
      LabProcess northSouth = a.spawn("ping", "-n", "-i", "0.2", "-c", "50", "-W", "1", inet.ip());
      Thread.sleep(1500);
      ferry.kill9();
      Thread.sleep(4000); // the 4 s outage, with a's entries going stale meanwhile
      ferry.restart();
      awaitReconciled(api, hosts);
      for (LabHost h : hosts) {
        JsonNode sw = api.get("/v1/switches/" + h.datapathIdHex());
        assertEquals(0, sw.path("reconciles").path("last_flow_mods").asInt(-1),
            h.name() + ": the reconcile after restart changed flows: " + sw);
        assertEquals(0, sw.path("flow_mods_sent").asLong(-1), h.name() + " got flow-mods: " + sw);
      }
      for (LabProcess ping : List.of(eastWest, northSouth)) {
        ping.waitFor(20_000);
        String summary = String.join("\n", ping.outputLines());
        Matcher m = Pattern.compile("(\\d+) packets transmitted, (\\d+) received").matcher(summary);
        assertTrue(m.find(), "no ping summary: " + summary);
        assertEquals("50", m.group(2), "packets were lost across the controller restart: " + summary);
      }
      JsonNode sw = api.get("/v1/switches/" + hosts.get(0).datapathIdHex());
      assertEquals(0, sw.path("flow_mods_sent").asLong(-1),
          "the next hop's fresh answer after the restart changed nothing: " + sw);
    }
  }

  private static LabContainer container(FerryApi api, LabHost h, String net, String name, String mac, String ip) {
    LabContainer c = h.addContainer(ContainerSpec.of(name, mac, ip));
    api.createPort(net, name, mac, c.ip(), h.name(), c.ovsPort());
    return c;
  }

  /** Waits until each host's switch is connected and has finished at least one reconcile. */
  static void awaitReconciled(FerryApi api, List<LabHost> hosts) throws InterruptedException {
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
