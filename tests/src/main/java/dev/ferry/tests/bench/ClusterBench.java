package dev.ferry.tests.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.controller.cluster.LocalEtcd;
import dev.ferry.tests.lab.ContainerSpec;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabContainer;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.scenario.FerryApi;
import dev.ferry.tests.scenario.FerryProcess;
import dev.ferry.tests.scenario.TempDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Ferry cluster on one machine (3 etcd members on loopback, real OVS hosts h1 and h2 pointed
 * at every node), measured:
 * <ol>
 *   <li>port add -> flows on the switches: POST /v1/ports?wait=switches (answered once every
 *       switch the port concerns holds it), with 1 node, then with 3 nodes through a node that
 *       masters neither switch (so the wait crosses nodes through etcd);</li>
 *   <li>failover: kill -9 of h1's master to another node's confirmed MASTER role (the role
 *       reply), polled every 10 ms on the other nodes' GET /v1/cluster; the killed node is
 *       restarted and rejoins before the next try.</li>
 * </ol>
 *
 * <p>{@code java -cp 'tests/target/ferry-tests.jar:tests/target/lib/*' dev.ferry.tests.bench.ClusterBench [failovers] [port adds]}
 * (root and Open vSwitch; etcd-server).
 */
public final class ClusterBench {
  private static final String TOKEN = "cluster-bench-token";
  private static final int NODES = 3;

  public static void main(String[] args) throws Exception {
    int failovers = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int adds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Lab.unavailableReason().ifPresent(r -> {
      throw new IllegalStateException("needs root and Open vSwitch: " + r);
    });
    System.out.println("load at start: " + Files.readString(Path.of("/proc/loadavg")).trim());
    List<FerryProcess> ferries = new ArrayList<>();
    try (TempDir data = new TempDir("ferry-cluster-bench"); Lab lab = Lab.start(); LocalEtcd etcd = LocalEtcd.start(3)) {
      List<String> targets = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        targets.add(lab.controllerTarget(Lab.CONTROLLER_PORT + i));
      }
      ferries.add(node(lab, data.path(), etcd, 0));
      List<FerryApi> apis = new ArrayList<>(List.of(api(ferries.get(0))));
      List<LabHost> hosts = lab.addHosts("h1", "h2");
      for (LabHost h : hosts) {
        h.setControllers(targets);
        apis.get(0).createHost(h.name(), h.datapathIdHex(), h.tunnelIp());
      }
      String net = apis.get(0).createNetwork(apis.get(0).createTenant("bench"), "bench", 100, "10.30.0.0/16");
      for (LabHost h : hosts) {
        awaitMaster(apis, h, -1, 30_000);
      }
      // A port on each host, so a port added on either host concerns both switches.
      addPort(apis.get(0).waitingForSwitches(), hosts.get(0), net, "r1", 1);
      addPort(apis.get(0).waitingForSwitches(), hosts.get(1), net, "r2", 2);

      List<Double> one = portAdds(apis.get(0), hosts, net, "a", 10, adds);
      report("port add -> flows on both switches, 1 node", one);

      for (int i = 1; i < NODES; i++) {
        ferries.add(node(lab, data.path(), etcd, i));
        apis.add(api(ferries.get(i)));
      }
      awaitNodes(apis.get(0), NODES);
      for (LabHost h : hosts) {
        awaitMaster(apis, h, -1, 30_000);
      }
      Thread.sleep(3000); // let a rebalance (2 switches, 3 nodes: at most one move) settle
      int idle = idleNode(apis);
      System.out.println("writing through node " + idle + ", which masters neither switch");
      List<Double> three = portAdds(apis.get(idle), hosts, net, "b", 100, adds);
      report("port add -> flows on both switches, 3 nodes, through a non-master", three);

      List<Double> failover = new ArrayList<>();
      for (int t = 0; t < failovers; t++) {
        int master = awaitMaster(apis, hosts.get(0), -1, 30_000);
        long killed = System.nanoTime();
        ferries.get(master).kill9();
        int next = awaitMaster(apis, hosts.get(0), master, 15_000);
        double ms = (System.nanoTime() - killed) / 1e6;
        failover.add(ms);
        System.out.printf("failover %d: node %d -> node %d in %.0f ms%n", t + 1, master, next, ms);
        ferries.get(master).restart();
        awaitNodes(apis.get(next), NODES);
      }
      report("failover, kill -9 of h1's master -> another node's confirmed MASTER role", failover);
    } finally {
      for (FerryProcess f : ferries) {
        f.close();
      }
      System.out.println("load at end: " + Files.readString(Path.of("/proc/loadavg")).trim());
    }
  }

  private static FerryProcess node(Lab lab, Path dir, LocalEtcd etcd, int i) throws Exception {
    Path d = Files.createDirectories(dir.resolve("node" + i));
    return FerryProcess.start(lab.controllerIp(), Lab.CONTROLLER_PORT + i, d, TOKEN, List.of(), List.of(),
        List.of("--store", etcd.storeUri()));
  }

  private static FerryApi api(FerryProcess f) {
    return new FerryApi(f.restUrl(), TOKEN);
  }

  private static List<Double> portAdds(FerryApi api, List<LabHost> hosts, String net, String prefix, int base, int n) {
    List<Double> out = new ArrayList<>();
    FerryApi waiting = api.waitingForSwitches();
    for (int i = 0; i < n; i++) {
      LabHost h = hosts.get(i % 2);
      LabContainer c = h.addContainer(ContainerSpec.of(prefix + i, mac(base + i), ip(base + i) + "/16"));
      long t0 = System.nanoTime();
      waiting.createPort(net, prefix + i, mac(base + i), ip(base + i), h.name(), c.ovsPort());
      out.add((System.nanoTime() - t0) / 1e6);
    }
    return out;
  }

  private static void addPort(FerryApi api, LabHost h, String net, String name, int n) {
    LabContainer c = h.addContainer(ContainerSpec.of(name, mac(n), ip(n) + "/16"));
    api.createPort(net, name, mac(n), ip(n), h.name(), c.ovsPort());
  }

  private static String mac(int n) {
    return String.format("02:00:00:30:%02x:%02x", n / 256, n % 256);
  }

  private static String ip(int n) {
    return "10.30." + (n / 256) + "." + (n % 256 + 1);
  }

  /** The node (index) that is the confirmed master of none of the switches. */
  private static int idleNode(List<FerryApi> apis) {
    for (int i = 0; i < apis.size(); i++) {
      if (apis.get(i).get("/v1/cluster").path("masters_confirmed").isEmpty()) {
        return i;
      }
    }
    throw new IllegalStateException("every node masters a switch");
  }

  private static void awaitNodes(FerryApi api, int n) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (api.get("/v1/cluster").path("nodes").size() != n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the cluster did not reach " + n + " nodes");
      }
      Thread.sleep(20);
    }
  }

  /** Polls the nodes (but {@code except}) every 10 ms until one is h's confirmed master. */
  private static int awaitMaster(List<FerryApi> apis, LabHost h, int except, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    String dpid = h.datapathIdHex().toLowerCase();
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < apis.size(); i++) {
        if (i == except) {
          continue;
        }
        try {
          for (JsonNode d : apis.get(i).get("/v1/cluster").path("masters_confirmed")) {
            if (d.asText().equals(dpid)) {
              return i;
            }
          }
        } catch (RuntimeException notYet) {
          // a node that is starting or was just killed
        }
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException(h.name() + " has no confirmed master after " + timeoutMs + " ms");
  }

  private static void report(String what, List<Double> ms) {
    List<Double> s = new ArrayList<>(ms);
    Collections.sort(s);
    System.out.printf("%s, %d tries: median %.0f ms, min %.0f ms, p90 %.0f ms, max %.0f ms%n", what, s.size(),
        s.get(s.size() / 2), s.get(0), s.get(Math.min(s.size() - 1, (int) Math.ceil(s.size() * 0.9) - 1)),
        s.get(s.size() - 1));
  }
}
