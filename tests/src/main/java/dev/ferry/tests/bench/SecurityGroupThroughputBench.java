package dev.ferry.tests.bench;

import dev.ferry.tests.lab.LabContainer;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.lab.LabProcess;
import dev.ferry.tests.lab.Shell;
import dev.ferry.tests.scenario.OverlayLab;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * TCP throughput across two hosts (real OVS, userspace datapath, VXLAN) with security groups
 * (both ports in the tenant's default group: conntrack in each port's zone at both ends) and
 * without (both ports with port_security off, which also turns off anti-spoofing: the only way
 * to take a port out of the groups). Runs alternate (with, without, with, ...) so load from
 * other work on the machine hits both alike; each run is a timed 64 MB dd | nc stream into a
 * new connection. Prints every run, the medians, min and max, and the 1-minute load.
 *
 * <p>Run: {@code java -cp 'tests/target/ferry-tests.jar:tests/target/lib/*'
 * dev.ferry.tests.bench.SecurityGroupThroughputBench [runs per case, 5]}
 */
public final class SecurityGroupThroughputBench {
  private static final int MEGABYTES = 64;

  private SecurityGroupThroughputBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    try (TwoHostNetwork lab = TwoHostNetwork.start("a", "b")) {
      OverlayLab ferry = lab.ferry();
      List<LabHost> hosts = lab.hosts();
      String net = lab.network();
      LabContainer a = lab.onFirst();
      LabContainer b = lab.onSecond();
      String[] ports = {portId(ferry, "a"), portId(ferry, "b")};
      System.out.println("load before: " + Shell.run("uptime").out().trim());
      List<Double> with = new ArrayList<>();
      List<Double> without = new ArrayList<>();
      stream(a, b); // warm the datapath
      for (int i = 0; i < runs; i++) {
        for (boolean groups : new boolean[] {true, false}) {
          for (String p : ports) {
            ferry.api().patch("/v1/ports/" + p, Map.of("port_security", groups));
          }
          double mbps = stream(a, b);
          (groups ? with : without).add(mbps);
          System.out.printf("run %d %s groups: %.0f Mbit/s%n", i + 1, groups ? "with" : "without", mbps);
        }
      }
      System.out.println("load after: " + Shell.run("uptime").out().trim());
      System.out.printf("with groups: median %.0f Mbit/s (min %.0f, max %.0f); without: median %.0f Mbit/s"
          + " (min %.0f, max %.0f); %d runs each, %d MB per run%n", median(with), Collections.min(with),
          Collections.max(with), median(without), Collections.min(without), Collections.max(without), runs, MEGABYTES);
    }
  }

  /** One 64 MB stream a -> b into a fresh connection; Mbit/s from send start to sender exit. */
  private static double stream(LabContainer from, LabContainer to) {
    LabProcess sink = to.spawn("sh", "-c", "nc -l 9000 > /dev/null");
    try {
      Shell.pause(300);
      long start = System.nanoTime();
      var r = from.exec("sh", "-c", "dd if=/dev/zero bs=64k count=" + (MEGABYTES * 16) + " 2>/dev/null | nc -N -w 5 "
          + to.ip() + " 9000");
      if (!r.ok()) {
        throw new IllegalStateException("TCP stream failed: " + r.out());
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return MEGABYTES * 8.388608 / seconds;
    } finally {
      sink.stop();
    }
  }

  private static String portId(OverlayLab f, String name) {
    for (var p : f.api().get("/v1/ports")) {
      if (name.equals(p.path("name").asText())) {
        return p.path("id").asText();
      }
    }
    throw new IllegalStateException("no port " + name);
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
  }
}
