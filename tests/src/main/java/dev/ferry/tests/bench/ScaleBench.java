package dev.ferry.tests.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.tests.harness.EmulatedSwitch;
import dev.ferry.tests.harness.EmulatorConfig;
import dev.ferry.tests.harness.FlowEntry;
import dev.ferry.tests.harness.SwitchEmulator;
import dev.ferry.tests.scenario.FerryApi;
import dev.ferry.tests.scenario.FerryProcess;
import dev.ferry.tests.scenario.TempDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * Scale: H emulated hosts with P ports each, provisioned through REST, then connected to a
 * Ferry process at once. Measures the time until every switch holds its full flow set (from
 * the emulator's install timestamps, once Ferry confirms that every switch holds the
 * provisioned model version with exactly the flows it installed), flows per switch, Ferry's GC
 * pause time per phase, its heap after a full GC, and then, over N tries, the time from POST /v1/ports to the moment
 * every switch that must know the new port holds its L2 flow.
 *
 * <p>Layout: hosts form racks of {@code --rack} hosts; each rack is one tenant with 10
 * networks; every host has P/10 ports in each of its rack's networks, so a network spans a
 * rack and a port change touches exactly one rack's switches.
 *
 * <p>{@code java -cp 'tests/target/ferry-tests.jar:tests/target/lib/*' dev.ferry.tests.bench.ScaleBench
 * HOSTS PORTS_PER_HOST RACK TRIES [XMX [NODES]]} e.g. {@code 100 100 10 100 2g} or {@code 1000 100 10 100 3g}.
 * XMX is Ferry's heap; at 1,000 hosts the benchmark's own JVM needs about 16 GiB too
 * ({@code java -Xmx16g ...}): its emulated switches keep all 7 M flows they were sent, decoded.
 *
 * <p>NODES &gt; 1: a cluster instead of one process on SQLite: 3 etcd members on loopback and
 * NODES Ferry nodes (not pinned), the hosts split into NODES contiguous slices, slice i's
 * emulated switches connected to node i only (so node i masters exactly them). Prints each
 * node's switches and CPU seconds per phase: on 2 shared cores the point is that the work is
 * split, not that it is faster.
 */
public final class ScaleBench {
  private static final String TOKEN = "scale-bench-token";
  private static final int NETWORKS_PER_RACK = 10;

  private final int hosts;
  private final int portsPerHost;
  private final int rack;
  private final int tries;

  private ScaleBench(int hosts, int portsPerHost, int rack, int tries) {
    this.hosts = hosts;
    this.portsPerHost = portsPerHost;
    this.rack = rack;
    this.tries = tries;
  }

  public static void main(String[] args) throws Exception {
    int hosts = arg(args, 0, 100);
    int ports = arg(args, 1, 100);
    int rack = arg(args, 2, 10);
    int tries = arg(args, 3, 100);
    String xmx = args.length > 4 ? args[4] : "2g";
    int nodes = arg(args, 5, 1);
    ScaleBench bench = new ScaleBench(hosts, ports, rack, tries);
    if (nodes > 1) {
      try (TempDir data = new TempDir("ferry-scale-cluster")) {
        bench.runCluster(xmx, nodes, data.path());
      }
    } else {
      bench.run(xmx);
    }
    System.exit(0);
  }

  private void run(String xmx) throws Exception {
    try (TempDir data = new TempDir("ferry-scale")) {
      run(xmx, data.path());
    }
  }

  private void run(String xmx, Path dir) throws Exception {
    int ofPort = FerryProcess.freePort();
    List<String> pin = Files.exists(Path.of("/usr/bin/taskset")) ? List.of("taskset", "-c", "0") : List.of();
    List<String> jvm = new ArrayList<>(List.of("-Xmx" + xmx, "-Dferry.log.level=warn"));
    String extra = System.getenv("FERRY_JVM_OPTS"); // e.g. a JFR recording for a profile
    if (extra != null && !extra.isBlank()) {
      jvm.addAll(List.of(extra.trim().split("\\s+")));
    }
    // Keepalive of 60 s: the emulator answers echoes on the threads that also decode and store
    // every flow-mod (7 M at 1,000 hosts); on this 2-core machine it fell more than 15 s behind
    // in the connect storm, and Ferry rightly closed the switches it did not hear from.
    List<String> keepalive = List.of("--echo-interval-ms", "2000", "--echo-timeout-ms", "60000");
    try (FerryProcess ferry = FerryProcess.start("127.0.0.1", ofPort, dir, TOKEN, pin, jvm, keepalive)) {
      FerryApi api = new FerryApi(ferry.restUrl(), TOKEN);
      long t = System.nanoTime();
      List<List<String>> networksByRack = provision(api);
      System.out.printf("provisioned %d hosts, %d ports over REST in %.1f s%n", hosts,
          hosts * portsPerHost, (System.nanoTime() - t) / 1e9);

      EmulatorConfig cfg = EmulatorConfig.of("127.0.0.1", ofPort, hosts, OFVersion.OF_13)
          .withPortsPerSwitch(portsPerHost + 2 * tries).withEventLoopThreads(2);
      long version = api.get("/v1/version").path("version").asLong();
      GcTime gc0 = GcTime.of(ferry.pid());
      long connectStart = System.nanoTime();
      try (SwitchEmulator emu = SwitchEmulator.connect(cfg)) {
        emu.awaitReady(Duration.ofMinutes(2));
        awaitConverged(List.of(api), List.of(emu.switches()), version, connectStart,
            Duration.ofMinutes(5));
        GcTime gc1 = GcTime.of(ferry.pid());
        long lastInstall = emu.switches().stream().flatMap(s -> s.flowsSnapshot().stream())
            .mapToLong(FlowEntry::installedNanos).max().orElse(connectStart);
        List<Integer> counts = emu.switches().stream().map(EmulatedSwitch::flowCount).sorted().toList();
        long total = counts.stream().mapToLong(Integer::longValue).sum();
        System.out.printf("converged: %d switches, %d flows (per switch min %d, median %d, max %d) in %.2f s "
            + "from connect%n", hosts, total, counts.get(0), counts.get(counts.size() / 2),
            counts.get(counts.size() - 1), (lastInstall - connectStart) / 1e9);
        System.out.printf("Ferry GC while converging: %s%n", gc1.since(gc0));
        System.out.printf("Ferry heap after full GC: %s%n", heapAfterGc(ferry.pid()));
        GcTime gc2 = GcTime.of(ferry.pid());
        onePortAdded(api, emu.switches(), networksByRack);
        System.out.printf("Ferry GC during the port adds: %s%n", GcTime.of(ferry.pid()).since(gc2));
      }
    }
  }

  private void runCluster(String xmx, int nodes, Path dir) throws Exception {
    System.out.println("load at start: " + Files.readString(Path.of("/proc/loadavg")).trim());
    List<FerryProcess> ferries = new ArrayList<>();
    List<SwitchEmulator> emus = new ArrayList<>();
    try (dev.ferry.controller.cluster.LocalEtcd etcd = dev.ferry.controller.cluster.LocalEtcd.start(3)) {
      List<Integer> ofPorts = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        ofPorts.add(FerryProcess.freePort());
        Path d = Files.createDirectories(dir.resolve("node" + i));
        ferries.add(FerryProcess.start("127.0.0.1", ofPorts.get(i), d, TOKEN, List.of(),
            List.of("-Xmx" + xmx, "-Dferry.log.level=warn"), List.of("--store", etcd.storeUri(),
            // four JVMs and three etcd members on two shared cores: a switch may answer echoes late
            "--echo-interval-ms", "2000", "--echo-timeout-ms", "15000")));
      }
      FerryApi api = new FerryApi(ferries.get(0).restUrl(), TOKEN);
      long t = System.nanoTime();
      List<List<String>> networksByRack = provision(api);
      System.out.printf("provisioned %d hosts, %d ports over REST (node 0, etcd) in %.1f s%n", hosts,
          hosts * portsPerHost, (System.nanoTime() - t) / 1e9);
      long version = api.get("/v1/version").path("version").asLong();
      awaitModel(ferries, version);
      double[] cpu0 = cpuSeconds(ferries);
      long connectStart = System.nanoTime();
      List<EmulatedSwitch> all = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        int from = hosts * i / nodes;
        int to = hosts * (i + 1) / nodes;
        EmulatorConfig cfg = new EmulatorConfig("127.0.0.1", ofPorts.get(i), to - from, portsPerHost + 2 * tries,
            OFVersion.OF_13, from + 1, true, 1);
        SwitchEmulator emu = SwitchEmulator.connect(cfg);
        emus.add(emu);
        emu.awaitReady(Duration.ofMinutes(2));
        all.addAll(emu.switches());
      }
      List<FerryApi> nodeApis = ferries.stream().map(f -> new FerryApi(f.restUrl(), TOKEN)).toList();
      awaitConverged(nodeApis, emus.stream().map(SwitchEmulator::switches).toList(), version,
          connectStart, Duration.ofMinutes(5));
      long lastInstall = all.stream().flatMap(s -> s.flowsSnapshot().stream())
          .mapToLong(FlowEntry::installedNanos).max().orElse(connectStart);
      long total = all.stream().mapToLong(EmulatedSwitch::flowCount).sum();
      double[] cpu1 = cpuSeconds(ferries);
      System.out.printf("converged: %d switches, %d flows in %.2f s from connect%n", all.size(), total,
          (lastInstall - connectStart) / 1e9);
      for (int i = 0; i < nodes; i++) {
        FerryApi a = new FerryApi(ferries.get(i).restUrl(), TOKEN);
        System.out.printf("  node %d: confirmed master of %d switches; CPU %.1f s while converging; heap after full GC %s%n",
            i, a.get("/v1/cluster").path("masters_confirmed").size(), cpu1[i] - cpu0[i], heapAfterGc(ferries.get(i).pid()));
      }
      double[] cpu2 = cpuSeconds(ferries);
      onePortAdded(api, all, networksByRack);
      double[] cpu3 = cpuSeconds(ferries);
      for (int i = 0; i < nodes; i++) {
        System.out.printf("  node %d: CPU %.1f s during the port adds%n", i, cpu3[i] - cpu2[i]);
      }
    } finally {
      emus.forEach(SwitchEmulator::close);
      ferries.forEach(FerryProcess::close);
      System.out.println("load at end: " + Files.readString(Path.of("/proc/loadavg")).trim());
    }
  }

  /** Waits until every node's watched model reached the version provisioning ended at (it went through node 0). */
  private static void awaitModel(List<FerryProcess> ferries, long version) throws InterruptedException {
    for (FerryProcess f : ferries) {
      FerryApi a = new FerryApi(f.restUrl(), TOKEN);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (a.get("/v1/version").path("version").asLong() < version) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(f.restUrl() + " did not reach model version " + version);
        }
        Thread.sleep(100);
      }
    }
  }

  /** user + system CPU seconds of each process so far (/proc/PID/stat, 100 ticks a second). */
  private static double[] cpuSeconds(List<FerryProcess> ferries) throws IOException {
    double[] out = new double[ferries.size()];
    for (int i = 0; i < out.length; i++) {
      String stat = Files.readString(Path.of("/proc/" + ferries.get(i).pid() + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      out[i] = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }
    return out;
  }

  /** Tenants, networks, hosts and ports (a batch per host) through REST with 8 clients; returns network ids per rack. */
  private List<List<String>> provision(FerryApi api) throws Exception {
    int racks = (hosts + rack - 1) / rack;
    List<List<String>> networks = new ArrayList<>();
    for (int r = 0; r < racks; r++) {
      String tenant = api.createTenant("rack" + r);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < NETWORKS_PER_RACK; i++) {
        int n = r * NETWORKS_PER_RACK + i;
        ids.add(api.createNetwork(tenant, "r" + r + "n" + i, 0x10000 + n,
            "10." + (n / 256) + "." + (n % 256) + ".0/24"));
      }
      networks.add(ids);
    }
    for (int h = 0; h < hosts; h++) {
      api.createHost(hostName(h), String.format("%016x", h + 1), "192.168." + (h / 250) + "." + (h % 250 + 1));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int h = 0; h < hosts; h++) {
        int host = h;
        done.add(pool.submit(() -> {
          // One batch (one transaction) per host: 100,000 single POSTs took minutes.
          List<String> mine = networks.get(host / rack);
          List<Map<String, Object>> batch = new ArrayList<>();
          for (int j = 1; j <= portsPerHost; j++) {
            batch.add(Map.of("network", mine.get(j % NETWORKS_PER_RACK), "host", hostName(host),
                "interface", "s" + (host + 1) + "-eth" + j));
          }
          api.post("/v1/ports/batch", Map.of("ports", batch));
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    return networks;
  }

  private void onePortAdded(FerryApi api, List<EmulatedSwitch> emu, List<List<String>> networks)
      throws InterruptedException {
    List<Double> total = new ArrayList<>();
    List<Double> rest = new ArrayList<>();
    for (int i = 0; i < tries; i++) {
      int host = (i * 7) % hosts;
      int r = host / rack;
      String network = networks.get(r).get(i % NETWORKS_PER_RACK);
      long t0 = System.nanoTime();
      JsonNode port = api.createPort(network, null, null, null, hostName(host),
          "s" + (host + 1) + "-eth" + (portsPerHost + 1 + i));
      rest.add((System.nanoTime() - t0) / 1e6);
      MacAddress mac = MacAddress.of(port.path("mac").asText());
      long last = 0;
      for (int h = r * rack; h < Math.min(hosts, (r + 1) * rack); h++) {
        last = Math.max(last, awaitL2Flow(emu.get(h), mac));
      }
      total.add((last - t0) / 1e6);
    }
    System.out.printf("one port added (%d tries, %d switches affected each): REST answer p50 %.1f ms; "
        + "every affected switch holds the new flows p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        tries, rack, pct(rest, 0.5), pct(total, 0.5), pct(total, 0.99), Collections.max(total));
    onePortAddedWaiting(api.waitingForSwitches(), emu, networks);
  }

  /**
   * The same port add with {@code ?wait=switches}: the REST answer itself is the measurement,
   * and at that moment every affected switch must already hold the new L2 flow.
   */
  private void onePortAddedWaiting(FerryApi api, List<EmulatedSwitch> emu, List<List<String>> networks)
      throws InterruptedException {
    List<Double> answered = new ArrayList<>();
    for (int i = 0; i < tries; i++) {
      int host = (i * 7 + 3) % hosts;
      int r = host / rack;
      String network = networks.get(r).get(i % NETWORKS_PER_RACK);
      long t0 = System.nanoTime();
      JsonNode port = api.createPort(network, null, null, null, hostName(host),
          "s" + (host + 1) + "-eth" + (portsPerHost + 1 + tries + i));
      long t1 = System.nanoTime();
      answered.add((t1 - t0) / 1e6);
      MacAddress mac = MacAddress.of(port.path("mac").asText());
      for (int h = r * rack; h < Math.min(hosts, (r + 1) * rack); h++) {
        if (awaitL2Flow(emu.get(h), mac) > t1) {
          throw new IllegalStateException("?wait=switches answered before switch " + (h + 1)
              + " held the new port's flow");
        }
      }
    }
    System.out.printf("one port added with ?wait=switches (%d tries): REST answer (every affected "
        + "switch confirmed) p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", tries, pct(answered, 0.5),
        pct(answered, 0.99), Collections.max(answered));
  }

  /** Waits until the switch holds an L2 flow to this MAC; returns when it was installed. */
  private static long awaitL2Flow(EmulatedSwitch sw, MacAddress mac) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      for (FlowEntry f : sw.flowsSnapshot()) {
        if (mac.equals(f.match().get(MatchField.ETH_DST))) {
          return f.installedNanos();
        }
      }
      Thread.sleep(0, 200_000);
    }
    throw new IllegalStateException("switch " + sw.dpid() + " never got a flow to " + mac);
  }

  /**
   * Waits for the facts of convergence: every switch holds the model version provisioning
   * ended at, as its Ferry node says (GET /v1/switches installed_version), and the emulated
   * switch holds exactly the flows that node's last confirmed reconcile left on it
   * (installed_flows). Ferry is asked once a second (the answer lists every port: megabytes at
   * 1,000 hosts); the converge time printed comes from the emulator's install timestamps, so
   * the polling does not lengthen it. On timeout, names the switches still short.
   */
  private static void awaitConverged(List<FerryApi> nodes, List<List<EmulatedSwitch>> switchesByNode,
      long version, long connectStart, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> short_ = List.of();
    while (System.nanoTime() < deadline) {
      short_ = new ArrayList<>();
      for (int n = 0; n < nodes.size(); n++) {
        short_.addAll(notConverged(nodes.get(n), switchesByNode.get(n), version));
      }
      if (short_.isEmpty()) {
        System.out.printf("confirmed by Ferry at %.2f s from connect: every switch holds version %d "
            + "and exactly the flows Ferry installed%n", (System.nanoTime() - connectStart) / 1e9, version);
        return;
      }
      Thread.sleep(1000);
    }
    System.out.printf("not converged after %s: %d switches short, e.g. %s%n", timeout, short_.size(),
        String.join("; ", short_.subList(0, Math.min(20, short_.size()))));
    throw new IllegalStateException(short_.size() + " switches not converged after " + timeout);
  }

  /** The switches of one node that do not hold {@code version} with all its flows, described. */
  private static List<String> notConverged(FerryApi api, List<EmulatedSwitch> switches, long version) {
    Map<Long, JsonNode> byDpid = new java.util.HashMap<>();
    for (JsonNode sw : api.get("/v1/switches")) {
      byDpid.put(Long.parseUnsignedLong(sw.path("datapath_id").asText(), 16), sw);
    }
    List<String> out = new ArrayList<>();
    for (EmulatedSwitch sw : switches) {
      JsonNode view = byDpid.get(sw.dpid());
      if (view == null) {
        out.add(String.format("%016x not connected to Ferry", sw.dpid()));
        continue;
      }
      long holds = view.path("installed_version").asLong();
      JsonNode expected = view.path("installed_flows");
      if (holds < version || expected.isNull() || expected.isMissingNode()
          || expected.asInt() != sw.flowCount()) {
        out.add(String.format("%016x holds version %d of %d, %d flows of %s", sw.dpid(), holds,
            version, sw.flowCount(), expected.isNull() || expected.isMissingNode() ? "?" : expected.asText()));
      }
    }
    return out;
  }

  /** Ferry's cumulative GC pause time (jstat -gc; all pauses are stop-the-world under the serial GC). */
  private record GcTime(long youngCount, double youngSeconds, long fullCount, double fullSeconds) {
    static GcTime of(long pid) throws IOException, InterruptedException {
      String[] lines = run("jstat", "-gc", Long.toString(pid)).trim().split("\n");
      if (lines.length < 2) {
        return new GcTime(0, Double.NaN, 0, Double.NaN);
      }
      List<String> head = List.of(lines[0].trim().split("\\s+"));
      String[] row = lines[lines.length - 1].trim().split("\\s+");
      return new GcTime(Long.parseLong(row[head.indexOf("YGC")]), Double.parseDouble(row[head.indexOf("YGCT")]),
          Long.parseLong(row[head.indexOf("FGC")]), Double.parseDouble(row[head.indexOf("FGCT")]));
    }

    String since(GcTime before) {
      return String.format("%.2f s paused (young %d GCs %.2f s, full %d GCs %.2f s)",
          youngSeconds - before.youngSeconds + fullSeconds - before.fullSeconds,
          youngCount - before.youngCount, youngSeconds - before.youngSeconds,
          fullCount - before.fullCount, fullSeconds - before.fullSeconds);
    }
  }

  private static String heapAfterGc(long pid) throws IOException, InterruptedException {
    run("jcmd", Long.toString(pid), "GC.run");
    String info = run("jcmd", Long.toString(pid), "GC.heap_info");
    // Heap lines only (young/tenured or G1); metaspace is not heap. Serial GC (one CPU, as
    // when pinned) prints one line per generation, so sum them.
    long usedK = 0;
    for (String line : info.split("\n")) {
      Matcher m = Pattern.compile("used (\\d+)K").matcher(line);
      if (!line.contains("Metaspace") && !line.contains("class space") && m.find()) {
        usedK += Long.parseLong(m.group(1));
      }
    }
    return String.format("%.0f MiB used", usedK / 1024.0);
  }

  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }

  private static String hostName(int h) {
    return "h" + (h + 1);
  }

  private static int arg(String[] args, int i, int dflt) {
    return args.length > i ? Integer.parseInt(args[i]) : dflt;
  }

  private static double pct(List<Double> xs, double q) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get((int) Math.min(s.size() - 1, Math.floor(q * s.size())));
  }
}
