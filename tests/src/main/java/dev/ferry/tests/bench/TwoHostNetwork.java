package dev.ferry.tests.bench;

import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabContainer;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.scenario.OverlayLab;
import dev.ferry.tests.scenario.TempDir;
import java.util.List;

/**
 * The real-OVS setup the cross-host lab benchmarks share: Ferry on a fresh data directory,
 * hosts h1 and h2, one tenant network 10.20.0.0/16, and one container on each host
 * (10.20.0.10 on h1, 10.20.0.11 on h2), converged. Closing removes all of it, in reverse order.
 */
record TwoHostNetwork(TempDir data, Lab lab, OverlayLab ferry, List<LabHost> hosts,
    String network, LabContainer onFirst, LabContainer onSecond) implements AutoCloseable {

  /** @param first the container on h1, {@code second} the one on h2 (their port names) */
  static TwoHostNetwork start(String first, String second) {
    Lab.unavailableReason().ifPresent(r -> {
      throw new IllegalStateException("needs root and Open vSwitch: " + r);
    });
    TempDir data = new TempDir("ferry-bench");
    Lab lab = null;
    OverlayLab ferry = null;
    try {
      lab = Lab.start();
      ferry = OverlayLab.start(lab, data.path());
      List<LabHost> hosts = ferry.addHosts("h1", "h2");
      String net = ferry.api().createNetwork(ferry.api().createTenant("bench"), "bench", 100, "10.20.0.0/16");
      LabContainer a = ferry.addContainer(hosts.get(0), net, first, "02:00:00:00:00:01", "10.20.0.10/16");
      LabContainer b = ferry.addContainer(hosts.get(1), net, second, "02:00:00:00:00:02", "10.20.0.11/16");
      ferry.converge();
      return new TwoHostNetwork(data, lab, ferry, hosts, net, a, b);
    } catch (RuntimeException e) {
      closeAll(ferry, lab, data);
      throw e;
    }
  }

  @Override
  public void close() {
    closeAll(ferry, lab, data);
  }

  private static void closeAll(AutoCloseable... parts) {
    RuntimeException failure = null;
    for (AutoCloseable part : parts) {
      try {
        if (part != null) {
          part.close();
        }
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("teardown failed", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
