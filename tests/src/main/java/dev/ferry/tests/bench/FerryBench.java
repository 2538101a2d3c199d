package dev.ferry.tests.bench;

import dev.ferry.tests.harness.ProvisionedPort;
import dev.ferry.tests.harness.ProvisionedPorts;
import dev.ferry.tests.scenario.FerryApi;
import dev.ferry.tests.scenario.FerryProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Ferry in the peer comparison: starts Ferry as its own JVM pinned to core 0, provisions the
 * emulated switches' ports through REST (one tenant and network per group of switches, each
 * emulated port {@code s<dpid>-eth<p>} a container port of its group's network), writes the
 * ports CSV the ARP workload reads (with the VNI as packet-in metadata, as Ferry's pipeline
 * puts it there), then runs {@code BenchMain} pinned to core 1 for workload arp in each mode.
 * Results are appended to the CSV run-peers.sh writes (same columns).
 *
 * <p>Env {@code NICE} (e.g. -10) runs both sides in their own session at that nice level, as
 * run-peers.sh does. Ferry's extra JVM options (e.g. a JFR recording) via {@code --ferry-jvm}.
 */
@Command(name = "ferry-bench-arp", mixinStandardHelpOptions = true)
public final class FerryBench implements Callable<Integer> {
  private static final String TOKEN = "ferry-bench-token";

  @Option(names = "--switches", defaultValue = "16")
  int switches;

  @Option(names = "--ports-per-switch", defaultValue = "4")
  int portsPerSwitch;

  @Option(names = "--switches-per-network", defaultValue = "4",
      description = "one tenant and network per group of this many switches")
  int switchesPerNetwork;

  @Option(names = "--modes", defaultValue = "throughput,latency", split = ",")
  List<String> modes;

  @Option(names = "--loops", defaultValue = "10")
  int loops;

  @Option(names = "--warmup", defaultValue = "2")
  int warmup;

  @Option(names = "--duration-ms", defaultValue = "1000")
  int durationMs;

  @Option(names = "--unknown-share", defaultValue = "0.1")
  double unknownShare;

  @Option(names = "--settle-ms", defaultValue = "2000",
      description = "after the switches connect, time for Ferry to bind their ports and reconcile")
  int settleMs;

  @Option(names = "--jit-warmup-s", defaultValue = "15",
      description = "unrecorded arp throughput load first, so the JIT has compiled the packet-in path "
          + "(a long-running controller's steady state; pinned to one core, C2 competes with the work)")
  int jitWarmupS;

  @Option(names = "--xmx", defaultValue = "512m", description = "Ferry's heap")
  String xmx;

  @Option(names = "--ferry-jvm", description = "extra JVM option for Ferry (repeatable)")
  List<String> ferryJvm = new ArrayList<>();

  @Option(names = "--csv", required = true, description = "append result rows here")
  Path csv;

  @Option(names = "--histogram-prefix",
      description = "write each mode's latency histogram to <prefix>-<mode>.txt (BenchMain --histogram)")
  String histogramPrefix;

  @Option(names = "--ports-csv", description = "where to write the provisioned ports (default: next to --csv)")
  Path portsCsv;

  public static void main(String[] args) {
    System.exit(new CommandLine(new FerryBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("ferry-bench");
    Path ports = portsCsv != null ? portsCsv : csv.resolveSibling("ferry-arp-ports.csv");
    int ofPort = FerryProcess.freePort();
    List<String> jvm = new ArrayList<>(List.of("-Xmx" + xmx, "-Dferry.log.level=warn"));
    jvm.addAll(ferryJvm);
    try (FerryProcess ferry = FerryProcess.start("127.0.0.1", ofPort, dir, TOKEN, pinned(0), jvm)) {
      ProvisionedPorts.writeCsv(provision(new FerryApi(ferry.restUrl(), TOKEN)), ports);
      System.out.printf("ferry pid %d, OpenFlow 127.0.0.1:%d, %d ports provisioned -> %s, log %s%n",
          ferry.pid(), ofPort, switches * portsPerSwitch, ports, dir.resolve("ferry.log"));
      if (jitWarmupS > 0) {
        System.out.printf("JIT warm-up: %d s of unrecorded arp throughput load (its row is not in the CSV)%n",
            jitWarmupS);
        runHarness(ferry.pid(), ofPort, "throughput", ports, jitWarmupS, 0, null);
      }
      for (String mode : modes) {
        int rc = runHarness(ferry.pid(), ofPort, mode, ports, loops, warmup, csv);
        if (rc != 0) {
          return rc;
        }
      }
    }
    return 0;
  }

  /** Tenants, networks, hosts and ports; returns them as the ARP workload's CSV rows. */
  private List<ProvisionedPort> provision(FerryApi api) {
    int groups = (switches + switchesPerNetwork - 1) / switchesPerNetwork;
    List<String> networkIds = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      String tenant = api.createTenant("bench-" + g);
      networkIds.add(api.createNetwork(tenant, "net-" + g, vni(g), "10." + g + ".0.0/16"));
    }
    List<ProvisionedPort> rows = new ArrayList<>();
    for (int dpid = 1; dpid <= switches; dpid++) {
      String host = "h" + dpid;
      api.createHost(host, String.format("%016x", dpid), "192.168." + (dpid / 250) + "." + (dpid % 250 + 1));
      int g = (dpid - 1) / switchesPerNetwork;
      for (int p = 1; p <= portsPerSwitch; p++) {
        String name = "s" + dpid + "-eth" + p;
        long mac = 0x020000000000L | ((long) dpid << 8) | p;
        int ip = (10 << 24) | (g << 16) | (dpid << 8) | p;
        api.createPort(networkIds.get(g), name, macText(mac), ipText(ip), host, name);
        rows.add(new ProvisionedPort("net-" + g, mac, ip, dpid, p, vni(g)));
      }
    }
    return rows;
  }

  private int runHarness(long ferryPid, int ofPort, String mode, Path ports, int loops, int warmup,
      Path csv) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(pinned(1));
    cmd.addAll(List.of(java, "-cp", System.getProperty("java.class.path"),
        "dev.ferry.tests.harness.BenchMain", "--controller", "127.0.0.1:" + ofPort, "--name", "ferry",
        "--controller-pid", Long.toString(ferryPid), "--switches", Integer.toString(switches),
        "--ports-per-switch", Integer.toString(portsPerSwitch), "--mode", mode, "--workload", "arp",
        "--ofversion", "1.3", "--loops", Integer.toString(loops), "--warmup", Integer.toString(warmup),
        "--duration-ms", Integer.toString(durationMs), "--unknown-share", Double.toString(unknownShare),
        "--ports", ports.toString(), "--settle-ms", Integer.toString(settleMs), "--no-header"));
    if (csv != null) {
      cmd.addAll(List.of("--csv", csv.toString()));
      if (histogramPrefix != null) {
        cmd.addAll(List.of("--histogram", histogramPrefix + "-" + mode + ".txt"));
      }
    }
    return new ProcessBuilder(cmd).inheritIO().start().waitFor();
  }

  /** taskset to one core; with NICE set, in a session of its own at that nice level (autogroup). */
  static List<String> pinned(int core) {
    String nice = System.getenv("NICE");
    List<String> taskset = List.of("taskset", "-c", Integer.toString(core));
    if (nice == null || nice.isBlank()) {
      return taskset;
    }
    List<String> cmd = new ArrayList<>(List.of("setsid", "sh", "-c",
        "echo \"$0\" > /proc/self/autogroup 2>/dev/null; exec nice -n \"$0\" \"$@\"", nice));
    cmd.addAll(taskset);
    return cmd;
  }

  private static int vni(int group) {
    return 100 + group;
  }

  private static String macText(long mac) {
    return org.projectfloodlight.openflow.types.MacAddress.of(mac).toString();
  }

  private static String ipText(int ip) {
    return org.projectfloodlight.openflow.types.IPv4Address.of(ip).toString();
  }
}
