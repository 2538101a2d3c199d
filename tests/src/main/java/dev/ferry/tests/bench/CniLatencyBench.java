package dev.ferry.tests.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.controller.Ferry;
import dev.ferry.controller.FerryConfig;
import dev.ferry.controller.HostPort;
import dev.ferry.controller.Main;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.scenario.CniRuntime;
import dev.ferry.tests.scenario.FerryApi;
import dev.ferry.tests.scenario.TempDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import picocli.CommandLine;

/**
 * Wall time of the CNI plugin's ADD and DEL as a runtime sees it (exec to exit, inside a lab
 * host on real OVS, Ferry's REST on the lab's controller address), for the launcher that
 * {@code ferry cni install} writes with the class-data archive and without it. VERSION (JVM
 * start, no work) is the floor. Each try: ADD into a fresh namespace, then DEL.
 *
 * <p>Run: {@code java -cp 'tests/target/classes:tests/target/lib/*' dev.ferry.tests.bench.CniLatencyBench [tries]}
 */
public final class CniLatencyBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "cni-bench-token";

  public static void main(String[] args) throws Exception {
    int tries = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Lab.unavailableReason().ifPresent(r -> {
      throw new IllegalStateException("needs root and Open vSwitch: " + r);
    });
    try (TempDir dir = new TempDir("ferry-cni-bench"); Lab lab = Lab.start()) {
      FerryConfig config = new FerryConfig(new HostPort(lab.controllerIp(), Lab.CONTROLLER_PORT),
          new HostPort(lab.controllerIp(), 0), dir.path().resolve("data"), TOKEN, Duration.ofSeconds(1), Duration.ofSeconds(3));
      try (Ferry ferry = new Ferry(config).start()) {
        String url = "http://" + lab.controllerIp() + ":" + ferry.restPort();
        FerryApi api = new FerryApi(url, TOKEN);
        LabHost h = lab.addHosts("h1").get(0);
        api.createHost(h.name(), h.datapathIdHex(), h.tunnelIp());
        api.createNetwork(api.createTenant("bench"), "bench-net", 100, "10.40.0.0/16");
        // The host credential, as on a node (host-setup issues it): ports on this host only.
        Path token = dir.path().resolve("host-credential");
        Files.writeString(token, api.post("/v1/hosts/" + h.name() + "/tokens", java.util.Map.of()).path("token").asText());
        ObjectNode conf = JSON.createObjectNode().put("cniVersion", "1.0.0").put("name", "bench").put("type", "ferry")
            .put("url", url).put("tokenFile", token.toString()).put("network", "bench-net").put("host", h.name())
            .put("ovsdb", "unix:" + h.runDir().resolve("db.sock"));
        System.out.printf("CNI plugin latency, %d tries each (exec to exit, wall ms), load %s%n", tries,
            Files.readString(Path.of("/proc/loadavg")).strip());
        for (boolean cds : List.of(true, false)) {
          Path bin = dir.path().resolve(cds ? "bin-cds" : "bin-plain");
          int rc = new CommandLine(new Main()).execute("cni", "install", "--bin-dir", bin.toString(), "--lib-dir",
              dir.path().resolve(cds ? "lib-cds" : "lib-plain").toString(), "--cds", Boolean.toString(cds));
          if (rc != 0) {
            throw new IllegalStateException("ferry cni install failed (" + rc + ")");
          }
          CniRuntime rt = new CniRuntime(h.namespace(), List.of(bin));
          List<Double> add = new ArrayList<>();
          List<Double> del = new ArrayList<>();
          List<Double> version = new ArrayList<>();
          List<Double> addCpu = new ArrayList<>();
          List<Double> delCpu = new ArrayList<>();
          for (int i = -1; i < tries; i++) { // i = -1: warm-up (page cache), not counted
            String ns = lab.addEmptyNamespace((cds ? "c" : "p") + (i + 1));
            long c0 = childCpuMillis();
            CniRuntime.Invocation a = rt.exec("ADD", "bench-" + i, "/run/netns/" + ns, "eth0", conf);
            long c1 = childCpuMillis();
            if (!a.ok()) {
              throw new IllegalStateException("ADD failed: " + a);
            }
            CniRuntime.Invocation d = rt.exec("DEL", "bench-" + i, "/run/netns/" + ns, "eth0", conf);
            long c2 = childCpuMillis();
            if (!d.ok()) {
              throw new IllegalStateException("DEL failed: " + d);
            }
            CniRuntime.Invocation v = rt.exec("VERSION", null, null, null, conf);
            if (i == 0 && System.getenv("FERRY_CNI_TRACE") != null) {
              System.out.print(a.err() + d.err());
            }
            if (i >= 0) {
              addCpu.add((double) (c1 - c0));
              delCpu.add((double) (c2 - c1));
              add.add(a.millis());
              del.add(d.millis());
              version.add(v.millis());
            }
          }
          String what = cds ? "with AppCDS archive" : "without archive  ";
          System.out.printf("%s  ADD p50 %6.1f p99 %6.1f | DEL p50 %6.1f p99 %6.1f | VERSION p50 %6.1f p99 %6.1f%n", what,
              pct(add, 0.5), pct(add, 0.99), pct(del, 0.5), pct(del, 0.99), pct(version, 0.5), pct(version, 0.99));
          System.out.printf("%s  CPU (user+sys, plugin and its commands): ADD p50 %.0f ms, DEL p50 %.0f ms%n", what,
              pct(addCpu, 0.5), pct(delCpu, 0.5));
        }
      }
    }
  }

  /**
   * CPU time of this JVM's reaped children (cutime + cstime): the plugin and the commands it ran,
   * since the plugin execs in place of ip netns exec and reaps its own children. Load-independent,
   * unlike wall time on a shared machine. Clock ticks of 10 ms.
   */
  private static long childCpuMillis() throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[13]) + Long.parseLong(f[14])) * 10; // fields 16 and 17 of stat(5)
  }

  private static double pct(List<Double> xs, double q) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get((int) Math.min(s.size() - 1, Math.ceil(q * s.size()) - 1));
  }
}
