package dev.ferry.controller.bench;

import dev.ferry.controller.store.Resource;

import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.model.Tenant;
import dev.ferry.controller.cluster.LocalEtcd;
import dev.ferry.controller.store.EtcdLocation;
import dev.ferry.controller.store.EtcdStore;
import dev.ferry.controller.store.SqliteStore;
import dev.ferry.controller.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Store write latency and throughput, SQLite vs etcd (1 and 3 local members; with 3, two
 * nodes write at once), port creates through the Store interface (not a test; run by hand):
 *
 * <pre>
 * mvn -q -B -o -pl controller -am test-compile
 * java -cp controller/target/test-classes:controller/target/classes:$(cat cp.txt) \
 *     dev.ferry.controller.bench.StoreWriteBenchmark [ports=2000]
 * </pre>
 */
public final class StoreWriteBenchmark {

  public static void main(String[] args) throws Exception {
    int ports = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    Path dir = Files.createTempDirectory("ferry-store-bench");
    run("sqlite", ports, () -> SqliteStore.open(dir), null);
    try (LocalEtcd etcd = LocalEtcd.start(1)) {
      EtcdLocation l = EtcdLocation.plain(etcd.hostPorts(), "bench1");
      run("etcd x1", ports, () -> EtcdStore.open(l), null);
    }
    try (LocalEtcd etcd = LocalEtcd.start(3)) {
      EtcdLocation l = EtcdLocation.plain(etcd.hostPorts(), "bench3");
      run("etcd x3", ports, () -> EtcdStore.open(l), () -> EtcdStore.open(l));
    }
  }

  private static void run(String name, int ports, Supplier<Store> open, Supplier<Store> secondNode) throws Exception {
    try (Store a = open.get(); Store b = secondNode == null ? null : secondNode.get()) {
      a.create(Resource.TENANTS, new Tenant("t", "T", 0));
      String net = a.create(Resource.NETWORKS, new Network(null, "t", "n", 0, "10.0.0.0/8", null, true, 1450, null, null, 0)).id();
      // Warm-up (JIT, connections), not recorded.
      for (int i = 0; i < 200; i++) {
        a.create(Resource.PORTS, port(net));
      }
      long[] one = new long[ports];
      long start = System.nanoTime();
      for (int i = 0; i < ports; i++) {
        long t = System.nanoTime();
        a.create(Resource.PORTS, port(net));
        one[i] = System.nanoTime() - t;
      }
      double serialRate = ports / ((System.nanoTime() - start) / 1e9);
      Arrays.sort(one);
      int clients = 8;
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      List<Future<?>> done = new ArrayList<>();
      long start8 = System.nanoTime();
      for (int c = 0; c < clients; c++) {
        Store s = b != null && c % 2 == 1 ? b : a;
        done.add(pool.submit(() -> {
          for (int i = 0; i < ports / clients; i++) {
            s.create(Resource.PORTS, port(net));
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      double parallelRate = ports / ((System.nanoTime() - start8) / 1e9);
      pool.shutdown();
      System.out.printf("%-8s one writer: p50 %.2f ms, p99 %.2f ms, %.0f ports/s; 8 writers%s: %.0f ports/s%n", name,
          one[ports / 2] / 1e6, one[ports * 99 / 100] / 1e6, serialRate, b == null ? "" : " on 2 nodes", parallelRate);
    }
  }

  private static Port port(String net) {
    return new Port(null, net, null, null, null, null, null, true, 0);
  }
}
