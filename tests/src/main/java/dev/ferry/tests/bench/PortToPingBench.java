package dev.ferry.tests.bench;

import dev.ferry.tests.lab.ContainerSpec;
import dev.ferry.tests.lab.LabContainer;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.scenario.OverlayLab;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Time from the REST call that creates a port to the first ping that crosses hosts to it, on
 * real OVS (median of 20). The container's veth is already on br-int; the clock starts when
 * POST /v1/ports is sent and stops when `ping -i 0.002` (one probe every 2 ms) gets its first
 * reply. The same ping to an already reachable address is measured as the floor (process
 * start and one round trip), so the difference is what Ferry adds.
 *
 * <p>Run: {@code ./ferry bench-port-to-ping} or
 * {@code java -cp 'tests/target/ferry-tests.jar:tests/target/lib/*' dev.ferry.tests.bench.PortToPingBench [tries]}
 */
public final class PortToPingBench {

  public static void main(String[] args) throws Exception {
    int tries = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    try (TwoHostNetwork lab = TwoHostNetwork.start("src", "ref")) {
      OverlayLab ferry = lab.ferry();
      List<LabHost> hosts = lab.hosts();
      String net = lab.network();
      LabContainer src = lab.onFirst();
      LabContainer ref = lab.onSecond();
      pingMillis(src, ref.ip()); // warm ARP and the datapath
      List<Double> floor = new ArrayList<>();
      List<Double> created = new ArrayList<>();
      List<Double> confirmed = new ArrayList<>();
      for (int i = 0; i < tries; i++) {
        floor.add(pingMillis(src, ref.ip()));
        String ip = "10.20.1." + (i + 1);
        String mac = String.format("02:00:00:00:01:%02x", i + 1);
        LabContainer dst = hosts.get(1).addContainer(ContainerSpec.of("d" + i, mac, ip + "/16"));
        long t0 = System.nanoTime();
        ferry.api().createPort(net, "d" + i, mac, ip, "h2", dst.ovsPort()); // ?wait=switches
        confirmed.add((System.nanoTime() - t0) / 1e6);
        double ms = pingMillisFrom(src, ip, t0);
        created.add(ms);
      }
      System.out.printf("port created -> first ping across hosts, %d tries: median %.1f ms, p90 %.1f ms, min %.1f ms, max %.1f ms%n",
          tries, median(created), pct(created, 0.9), Collections.min(created), Collections.max(created));
      System.out.printf("of which the REST answer with ?wait=switches (both switches hold the port's flows): median %.1f ms, p90 %.1f ms%n",
          median(confirmed), pct(confirmed, 0.9));
      System.out.printf("floor (same ping to a reachable port): median %.1f ms%n", median(floor));
    }
  }

  private static double pingMillis(LabContainer from, String ip) {
    return pingMillisFrom(from, ip, System.nanoTime());
  }

  private static double pingMillisFrom(LabContainer from, String ip, long t0) {
    var r = from.exec("ping", "-n", "-q", "-c", "1", "-i", "0.002", "-w", "10", ip);
    if (!r.ok()) {
      throw new IllegalStateException("no reply from " + ip + " within 10 s: " + r.out());
    }
    return (System.nanoTime() - t0) / 1e6;
  }

  private static double median(List<Double> xs) {
    return pct(xs, 0.5);
  }

  private static double pct(List<Double> xs, double q) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get((int) Math.min(s.size() - 1, Math.floor(q * s.size())));
  }
}
