package dev.ferry.tests.trace;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.controller.Ferry;
import dev.ferry.controller.FerryConfig;
import dev.ferry.controller.HostPort;
import dev.ferry.tests.harness.EmulatorConfig;
import dev.ferry.tests.harness.SwitchEmulator;
import dev.ferry.tests.scenario.FerryApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * An in-process Ferry with two emulated switches (hosts h1 and h2, no root, no OVS) and a model
 * of two tenants on the same CIDR: blue b1 (h1, floating IP 203.0.113.10) and b2 (h2), green
 * g1 (h1). No host has an uplink: its SNAT flows use conntrack, which the emulator cannot
 * decode (north-south traces are tested on the compiled flows, OverlayTraceTest). The emulated
 * switches hold the flows Ferry installs and answer flow reads, so traces, named flow dumps
 * and the web view work on it.
 */
final class EmulatedFerry implements AutoCloseable {
  static final String ADMIN_TOKEN = "emulated-admin-token";
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  final Ferry ferry;
  final SwitchEmulator switches;
  final FerryApi admin;
  final String blue;
  final String green;
  final String blueToken;
  final String blueNet;

  EmulatedFerry(Path dataDir) {
    ferry = new Ferry(new FerryConfig(new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0),
        dataDir, ADMIN_TOKEN, Duration.ofSeconds(5), Duration.ofSeconds(15))).start();
    admin = new FerryApi(url(), ADMIN_TOKEN);
    SwitchEmulator emu = null;
    try {
      admin.createHost("h1", "0000000000000001", "10.0.0.1");
      admin.createHost("h2", "0000000000000002", "10.0.0.2");
      emu = SwitchEmulator.connect(EmulatorConfig.of("127.0.0.1", ferry.openflowPort(), 2, OFVersion.OF_13));
      emu.awaitReady(TIMEOUT);
      blue = admin.createTenant("blue");
      green = admin.createTenant("green");
      blueNet = admin.createNetwork(blue, "blue-net", 100, "10.1.1.0/24");
      String greenNet = admin.createNetwork(green, "green-net", 200, "10.1.1.0/24");
      String b1 = admin.createPort(blueNet, "b1", "02:00:00:00:01:01", "10.1.1.2", "h1", "s1-eth1")
          .path("id").asText();
      admin.createPool("public", "203.0.113.0/24", "203.0.113.10", "203.0.113.99");
      admin.post("/v1/floating_ips", Map.of("tenant", blue, "ip", "203.0.113.10", "port", b1));
      admin.createPort(blueNet, "b2", "02:00:00:00:01:02", "10.1.1.3", "h2", "s2-eth1");
      admin.createPort(greenNet, "g1", "02:00:00:00:02:01", "10.1.1.2", "h1", "s1-eth2");
      blueToken = admin.post("/v1/tenants/" + blue + "/tokens", Map.of()).path("token").asText();
      awaitBound("b1", "b2", "g1");
      converge();
    } catch (RuntimeException e) {
      if (emu != null) {
        emu.close();
      }
      ferry.close();
      throw e;
    }
    switches = emu;
  }

  String url() {
    return "http://127.0.0.1:" + ferry.restPort();
  }

  /** Waits until REST reports every named port bound (port-status arrives asynchronously). */
  void awaitBound(String... names) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      JsonNode ports = admin.get("/v1/ports");
      long bound = 0;
      for (String n : names) {
        for (JsonNode p : ports) {
          if (n.equals(p.path("name").asText()) && "bound".equals(p.path("status").path("state").asText())) {
            bound++;
          }
        }
      }
      if (bound == names.length) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("ports " + String.join(", ", names) + " not bound: " + ports);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Waits until both switches have been brought to the current desired state. */
  void converge() {
    try {
      ferry.engine().reconcileNow(1).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      ferry.engine().reconcileNow(2).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("reconcile did not finish: " + e, e);
    }
  }

  @Override
  public void close() {
    switches.close();
    ferry.close();
  }
}
