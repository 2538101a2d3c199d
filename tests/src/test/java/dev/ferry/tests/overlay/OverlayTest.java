package dev.ferry.tests.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.tests.lab.CapturedPacket;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabContainer;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.scenario.OverlayLab;
import dev.ferry.tests.scenario.StoreKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overlay dataplane on real OVS, driven only through Ferry's REST API: two hosts, two
 * tenants that use the same CIDR, and even the same IP and MAC on the same host. The tests that
 * take a {@link StoreKind} run on both stores (SQLite, and etcd with Ferry a one-node cluster).
 */
@ExtendWith(LabExtension.class)
class OverlayTest {
  static final String CIDR = "172.17.42.0/24";

  /** blue (VNI 100) and green (VNI 200) both use 172.17.42.0/24; b1 and g1 share IP and MAC. */
  record Seed(OverlayLab ferry, LabHost h1, LabHost h2, String blue, String green,
      LabContainer b1, LabContainer b2, LabContainer b3, LabContainer g1, LabContainer g2) {}

  static Seed seed(Lab lab, Path dir) {
    return seed(lab, dir, StoreKind.SQLITE);
  }

  static Seed seed(Lab lab, Path dir, StoreKind store) {
    OverlayLab f = OverlayLab.start(lab, dir, store);
    List<LabHost> hosts = f.addHosts("h1", "h2");
    LabHost h1 = hosts.get(0);
    LabHost h2 = hosts.get(1);
    String blue = f.api().createNetwork(f.api().createTenant("blue"), "blue-net", 100, CIDR);
    String green = f.api().createNetwork(f.api().createTenant("green"), "green-net", 200, CIDR);
    LabContainer b1 = f.addContainer(h1, blue, "b1", "02:00:00:00:00:02", "172.17.42.2/24");
    LabContainer b2 = f.addContainer(h2, blue, "b2", "02:00:00:00:00:10", "172.17.42.10/24");
    LabContainer b3 = f.addContainer(h1, blue, "b3", "02:00:00:00:00:03", "172.17.42.3/24");
    LabContainer g1 = f.addContainer(h1, green, "g1", "02:00:00:00:00:02", "172.17.42.2/24");
    LabContainer g2 = f.addContainer(h2, green, "g2", "02:00:00:00:00:20", "172.17.42.20/24");
    // No converge: every write above returned once the switches held it.
    return new Seed(f, h1, h2, blue, green, b1, b2, b3, g1, g2);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(StoreKind.class)
  void sameTenantPingsAcrossHostsAndOnOneHostOverVxlanWithItsVni(StoreKind store, Lab lab, @TempDir Path dir) {
    try (OverlayLab f = seed(lab, dir, store).ferry()) {
      Seed s = seedOf(f, lab);
      assertEquals(3, s.b1().ping(s.b2().ip(), 3, 2), "blue across hosts");
      assertEquals(3, s.b1().ping(s.b3().ip(), 3, 2), "blue on one host");
      assertEquals(3, s.g1().ping(s.g2().ip(), 3, 2), "green across hosts (same CIDR, same IP and MAC as b1)");

      List<CapturedPacket> wire = CapturedPacket.parseAll(lab.captureUnderlay("udp port 4789", () -> {
        s.b1().ping(s.b2().ip(), 2, 5);
        s.g1().ping(s.g2().ip(), 2, 5);
      }));
      Set<Integer> vnis = wire.stream().filter(CapturedPacket::isVxlan).map(p -> p.vni().getAsInt())
          .collect(Collectors.toSet());
      assertEquals(Set.of(100, 200), vnis, "each tenant's traffic crosses the underlay with its own VNI: " + wire);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(StoreKind.class)
  void tenantsNeverReachEachOtherEvenAtIdenticalAddresses(StoreKind store, Lab lab, @TempDir Path dir) {
    try (OverlayLab f = seed(lab, dir, store).ferry()) {
      Seed s = seedOf(f, lab);
      // g2 (green) has 172.17.42.20: no blue container may reach it; b2 (blue, .10) has no green twin.
      assertEquals(0, s.b1().ping(s.g2().ip(), 3, 1), "blue reaches green's address");
      assertEquals(0, s.g1().ping(s.b2().ip(), 3, 1), "green reaches blue's address");
      // b1 and g1 are the same IP and MAC on the same host: b3 pinging .2 reaches only b1.
      var g1Capture = s.g1().startCapture("icmp");
      assertEquals(3, s.b3().ping(s.b1().ip(), 3, 2));
      List<String> seen = g1Capture.stop().stream().filter(l -> !l.isBlank()).toList();
      assertEquals(List.of(), seen, "green's twin of b1 saw blue's traffic");
    }
  }

  @Test
  void arpIsAnsweredByFerryAndNeverCrossesTheUnderlay(Lab lab, @TempDir Path dir) {
    try (OverlayLab f = seed(lab, dir).ferry()) {
      Seed s = seedOf(f, lab);
      List<CapturedPacket> wire = CapturedPacket.parseAll(lab.captureUnderlay("", () -> {
        assertTrue(s.b1().arping(s.b2().ip(), 2) >= 1, "ARP for a peer on another host is answered");
        assertTrue(s.b1().arping(s.b3().ip(), 2) >= 1, "ARP for a peer on the same host is answered");
      }));
      assertFalse(wire.stream().anyMatch(CapturedPacket::isTunnelledArp), "ARP crossed the underlay: " + wire);
      assertEquals(0, s.b1().arping(s.g2().ip(), 2), "ARP for another tenant's address must get no answer");
      assertEquals(0, s.b1().arping("172.17.42.99", 2), "ARP for an address nobody has must get no answer");
    }
  }

  @Test
  void aContainerThatSpoofsItsMacOrIpReachesNoOne(Lab lab, @TempDir Path dir) {
    try (OverlayLab f = seed(lab, dir).ferry()) {
      Seed s = seedOf(f, lab);
      assertEquals(2, s.b1().ping(s.b2().ip(), 2, 2));
      s.b1().setMac("02:00:00:00:00:66");
      assertEquals(0, s.b1().ping(s.b2().ip(), 3, 1), "spoofed MAC got through");
      assertEquals(0, s.b1().ping(s.b3().ip(), 3, 1), "spoofed MAC got through on the same host");
      s.b1().setMac("02:00:00:00:00:02");
      s.b1().setIp("172.17.42.66/24");
      assertEquals(0, s.b1().ping(s.b2().ip(), 3, 1), "spoofed IP got through");
      s.b1().setIp("172.17.42.2/24");
      assertEquals(2, s.b1().ping(s.b2().ip(), 2, 2), "back to its own addresses it works again");
    }
  }

  @Test
  void portStatusFollowsTheSwitch(Lab lab, @TempDir Path dir) {
    try (OverlayLab f = seed(lab, dir).ferry()) {
      Seed s = seedOf(f, lab);
      assertEquals("bound", f.portState("b2"));
      s.b2().remove();
      awaitState(f, "b2", "unbound");
    }
  }

  @Test
  void vswitchdRestartHealsByItself(Lab lab, @TempDir Path dir) {
    try (OverlayLab f = seed(lab, dir).ferry()) {
      Seed s = seedOf(f, lab);
      assertEquals(2, s.b1().ping(s.b2().ip(), 2, 2));
      s.h2().restartVswitchd();
      assertTrue(pingsWithin(s.b1(), s.b2().ip(), 30), "connectivity did not come back after OVS restart");
    }
  }

  @Test
  void aPortMovedToAnotherHostTakesItsTrafficAlong(Lab lab, @TempDir Path dir) {
    try (OverlayLab f = seed(lab, dir).ferry()) {
      Seed s = seedOf(f, lab);
      assertEquals(2, s.b1().ping(s.b3().ip(), 2, 2));
      String portId = portId(f, "b3");
      s.b3().remove();
      LabContainer moved = s.h2().addContainer(
          dev.ferry.tests.lab.ContainerSpec.of("b3m", "02:00:00:00:00:03", "172.17.42.3/24"));
      f.api().patch("/v1/ports/" + portId, Map.of("host", "h2", "interface", moved.ovsPort()));
      assertEquals(1, s.b1().ping(moved.ip(), 1, 2), "traffic did not follow the port to h2");
    }
  }

  @Test
  void aThirdHostJoinsWithoutTouchingTheOthersOvsConfiguration(Lab lab, @TempDir Path dir) {
    try (OverlayLab f = seed(lab, dir).ferry()) {
      Seed s = seedOf(f, lab);
      String h1Before = ovsConfig(s.h1());
      String h2Before = ovsConfig(s.h2());
      LabHost h3 = f.addHosts("h3").get(0);
      LabContainer b4 = f.addContainer(h3, s.blue(), "b4", "02:00:00:00:00:04", "172.17.42.4/24");
      assertEquals(3, b4.ping(s.b1().ip(), 3, 2), "h3 -> h1");
      assertEquals(3, b4.ping(s.b2().ip(), 3, 2), "h3 -> h2");
      assertEquals(0, b4.ping(s.g2().ip(), 2, 1), "h3's blue container reaches green");
      assertEquals(h1Before, ovsConfig(s.h1()), "h1's OVS configuration changed");
      assertEquals(h2Before, ovsConfig(s.h2()), "h2's OVS configuration changed");
    }
  }

  // ---- helpers ----

  /** The seed of this test (seed() registered everything; the lab knows the containers). */
  private static Seed seedOf(OverlayLab f, Lab lab) {
    LabHost h1 = lab.host("h1");
    LabHost h2 = lab.host("h2");
    return new Seed(f, h1, h2, networkId(f, "blue-net"), networkId(f, "green-net"),
        h1.container("b1"), h2.container("b2"), h1.container("b3"), h1.container("g1"), h2.container("g2"));
  }

  private static String networkId(OverlayLab f, String name) {
    for (var n : f.api().get("/v1/networks")) {
      if (name.equals(n.path("name").asText())) {
        return n.path("id").asText();
      }
    }
    throw new AssertionError("no network " + name);
  }

  private static String portId(OverlayLab f, String name) {
    for (var p : f.api().get("/v1/ports")) {
      if (name.equals(p.path("name").asText())) {
        return p.path("id").asText();
      }
    }
    throw new AssertionError("no port " + name);
  }

  /** Interfaces and their options: what "touching a host's OVS configuration" would change. */
  private static String ovsConfig(LabHost h) {
    return h.vsctl("--columns=name,type,options", "list", "Interface");
  }

  private static boolean pingsWithin(LabContainer from, String ip, int seconds) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (from.pingOnce(ip, 1)) {
        return true;
      }
    }
    return false;
  }

  private static void awaitState(OverlayLab f, String port, String state) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!state.equals(f.portState(port))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(port + " never became " + state + ": " + f.portState(port));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
