package dev.ferry.tests.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.tests.lab.ContainerSpec;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabContainer;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.lab.LabProcess;
import dev.ferry.tests.lab.Shell;
import dev.ferry.tests.scenario.FerryApi;
import dev.ferry.tests.scenario.FerryProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * DHCP stays on the controller, so a client must keep its address across an outage longer
 * than its renewal interval (docs/gateway.md). Ferry runs with a 40 s lease (renewal T1 at
 * 20 s); a real busybox udhcpc renews, Ferry is frozen (SIGSTOP: it answers nothing, the
 * switch drops its connection) for 22 s, and the client rebinds once Ferry is back, before it
 * gives up: its address never goes away. busybox udhcpc (1.35) is the impatient kind: after
 * T1 it sends one unicast renewal and three broadcast rebinds, -T seconds apart, then drops
 * the lease (RFC 2131 clients such as ISC dhclient retry until the lease expires).
 * Freezing rather than killing keeps the restart's JVM start (tens of seconds on a loaded
 * machine) out of the timing.
 */
@ExtendWith(LabExtension.class)
class DhcpRenewalTest {
  private static final String TOKEN = "dhcp-renewal-token";
  private static final int LEASE = 40;
  private static final String SCRIPT = """
      #!/bin/sh
      # udhcpc hook: apply a new lease, log every event udhcpc reports
      [ "$1" = bound ] && ip addr replace "$ip/$mask" dev "$interface"
      [ "$1" = deconfig ] && ip addr flush dev "$interface"
      echo "$1" >> "$(dirname "$0")/events"
      exit 0
      """;

  @Test
  void aClientKeepsItsAddressAcrossAnOutageLongerThanItsRenewalInterval(Lab lab, @TempDir Path dir)
      throws Exception {
    try (FerryProcess ferry = FerryProcess.start(lab.controllerIp(), Lab.CONTROLLER_PORT, dir,
        TOKEN, List.of(), List.of(), List.of("--dhcp-lease-seconds", Integer.toString(LEASE)))) {
      FerryApi api = new FerryApi(ferry.restUrl(), TOKEN);
      LabHost h1 = lab.addHosts("h1").get(0);
      api.createHost(h1.name(), h1.datapathIdHex(), h1.tunnelIp());
      String net = api.post("/v1/networks", Map.of("tenant", api.createTenant("blue"), "name", "blue-net",
          "vni", 100, "cidr", "10.1.0.0/24", "gateway_ip", "10.1.0.1")).path("id").asText();
      LabContainer c = h1.addContainer(ContainerSpec.unaddressed("c", "02:00:00:00:01:02"));
      String ip = api.createPort(net, "c", c.mac(), null, "h1", c.ovsPort()).path("ip").asText();
      awaitReconciled(api, h1);

      Path hook = dir.resolve("udhcpc");
      Files.createDirectories(hook);
      Path script = hook.resolve("hook.sh");
      Files.writeString(script, SCRIPT);
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
      // -T 3 (busybox's default): after T1 it rebinds 3 times, 3 s apart, then gives up the lease
      LabProcess client = c.spawn("busybox", "udhcpc", "-i", "eth0", "-f", "-t", "10", "-T", "3", "-A", "1",
          "-s", script.toString());
      awaitEvent(hook, "bound", 1, 15);
      var capture = c.startCapture("udp port 67 or udp port 68");
      assertTrue(hasAddress(c, ip), "leased the port's address " + ip);

      signal("USR1", client.pid()); // udhcpc: renew now
      awaitEvent(hook, "renew", 1, 10);
      long renewed = System.nanoTime();
      signal("STOP", ferry.pid());
      long outageEnd = renewed + (LEASE / 2 + 2) * 1_000_000_000L; // longer than T1 = LEASE / 2
      while (System.nanoTime() < outageEnd) {
        assertTrue(hasAddress(c, ip), "address kept during the outage");
        Shell.pause(500);
      }
      signal("CONT", ferry.pid());
      System.out.printf("Ferry back %.1f s after the renewal%n", (System.nanoTime() - renewed) / 1e9);
      awaitEvent(hook, "renew", 2, LEASE);
      System.out.printf("client renewed %.1f s after the last renewal%n", (System.nanoTime() - renewed) / 1e9);
      long pastLease = renewed + (LEASE + 3) * 1_000_000_000L;
      while (System.nanoTime() < pastLease) {
        assertTrue(hasAddress(c, ip), "address kept after the outage");
        Shell.pause(500);
      }
      System.out.println("DHCP on the wire:\n" + String.join("\n", capture.stop()));
      List<String> events = Files.readAllLines(hook.resolve("events"));
      assertEquals(1, events.stream().filter("bound"::equals).count(), "one lease, never re-bound: " + events);
      assertFalse(events.subList(events.indexOf("bound"), events.size()).stream()
          .anyMatch(e -> e.equals("deconfig") || e.equals("leasefail")), "never deconfigured: " + events);
      client.stop();
    }
  }

  private static void awaitReconciled(FerryApi api, LabHost h) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      try {
        if (api.get("/v1/switches/" + h.datapathIdHex()).path("reconciles").path("completed").asLong() >= 1) {
          return;
        }
      } catch (RuntimeException notYet) {
        // not connected yet
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(h.name() + " was not reconciled");
      }
      Thread.sleep(50);
    }
  }

  private static void signal(String name, long pid) {
    assertTrue(Shell.run(List.of("kill", "-" + name, Long.toString(pid))).ok(), "kill -" + name + " " + pid);
  }

  private static boolean hasAddress(LabContainer c, String ip) {
    return c.exec("ip", "-4", "addr", "show", "dev", "eth0").out().contains("inet " + ip + "/");
  }

  private static void awaitEvent(Path hook, String event, int count, int seconds) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    Path events = hook.resolve("events");
    while (System.nanoTime() < deadline) {
      if (Files.exists(events) && Files.readAllLines(events).stream().filter(event::equals).count() >= count) {
        return;
      }
      Shell.pause(100);
    }
    throw new AssertionError("no " + count + "x " + event + " from udhcpc in " + seconds + " s: "
        + (Files.exists(events) ? Files.readAllLines(events) : "no events"));
  }
}
