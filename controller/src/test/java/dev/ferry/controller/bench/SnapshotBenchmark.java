package dev.ferry.controller.bench;

import dev.ferry.controller.store.Resource;

import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.model.Tenant;
import dev.ferry.controller.engine.AffectedHosts;
import dev.ferry.controller.store.SqliteStore;
import dev.ferry.controller.store.Store;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The engine thread's share of one port add, in process (not a test; run by hand): a SQLite
 * store with ScaleBench's layout (H hosts x P ports, racks of 10 hosts, one tenant and 10
 * networks per rack), then per try one port created and what the engine does with it before
 * any switch work: the new snapshot, its index lookups (the port's network and host) and
 * {@code AffectedHosts}. Uses only the Store and Model API, so the same file measures a build
 * with per-write snapshots (Model.of + a new ModelIndex) and one with persistent snapshots.
 *
 * <pre>
 * mvn -q -B -o -pl controller -am test-compile
 * java -Xmx4g -cp controller/target/test-classes:controller/target/classes:tests/target/lib/* \
 *     dev.ferry.controller.bench.SnapshotBenchmark [hosts=1000] [portsPerHost=100] [tries=200]
 * </pre>
 */
public final class SnapshotBenchmark {
  private static final int RACK = 10;
  private static final int NETWORKS_PER_RACK = 10;

  public static void main(String[] args) throws Exception {
    int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int perHost = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int tries = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    Path dir = Files.createTempDirectory("ferry-snapshot-bench");
    try (Store s = SqliteStore.open(dir)) {
      long t0 = System.nanoTime();
      List<List<String>> nets = new ArrayList<>();
      for (int r = 0; r < (hosts + RACK - 1) / RACK; r++) {
        String tenant = s.create(Resource.TENANTS, new Tenant("rack" + r, "rack" + r, 0)).id();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < NETWORKS_PER_RACK; i++) {
          int n = r * NETWORKS_PER_RACK + i;
          ids.add(s.create(Resource.NETWORKS, new Network(null, tenant, "r" + r + "n" + i, 0x10000 + n,
              "10." + (n / 256) + "." + (n % 256) + ".0/24", null, true, 1450, null, null, 0)).id());
        }
        nets.add(ids);
      }
      for (int h = 0; h < hosts; h++) {
        s.create(Resource.HOSTS, new Host("h" + (h + 1), h + 1, "192.168." + (h / 250) + "." + (h % 250 + 1), null, 0));
        List<Port> batch = new ArrayList<>();
        for (int j = 1; j <= perHost; j++) {
          batch.add(new Port(null, nets.get(h / RACK).get(j % NETWORKS_PER_RACK), null, null, null,
              "h" + (h + 1), "s" + (h + 1) + "-eth" + j, true, 0));
        }
        s.createPorts(batch);
      }
      System.out.printf("store of %d hosts, %d ports provisioned in %.1f s%n", hosts, hosts * perHost,
          (System.nanoTime() - t0) / 1e9);
      Model before = s.snapshot();
      before.portsOf(nets.get(0).get(0)); // the first snapshot's index, as the engine's start builds it
      long[] write = new long[tries];
      long[] snapshot = new long[tries];
      long[] affected = new long[tries];
      int affectedHosts = 0;
      for (int i = 0; i < tries; i++) {
        int h = (i * 7) % hosts;
        String net = nets.get(h / RACK).get(i % NETWORKS_PER_RACK);
        long a = System.nanoTime();
        Port p = s.create(Resource.PORTS, new Port(null, net, null, null, null, "h" + (h + 1),
            "s" + (h + 1) + "-x" + i, true, 0));
        long b = System.nanoTime();
        Model after = s.snapshot();
        after.portsOf(net);
        after.portsOnHost(p.host());
        long c = System.nanoTime();
        affectedHosts = AffectedHosts.of(before, after, null, p).size();
        long d = System.nanoTime();
        write[i] = b - a;
        snapshot[i] = c - b;
        affected[i] = d - c;
        before = after;
      }
      System.out.printf("one port add (%d tries, second half): store write p50 %.2f ms; new snapshot + its "
          + "index lookups p50 %.3f ms, p99 %.3f ms; AffectedHosts (%d hosts) p50 %.3f ms, p99 %.3f ms%n",
          tries, pct(write, 0.5), pct(snapshot, 0.5), pct(snapshot, 0.99), affectedHosts,
          pct(affected, 0.5), pct(affected, 0.99));
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
      System.out.printf("heap after full GC (store cache + two snapshots): %d MiB%n", heap.getUsed() >> 20);
      if (before.ports().size() != hosts * perHost + tries) {
        throw new IllegalStateException("snapshot has " + before.ports().size() + " ports");
      }
    }
  }

  /** Percentile over the second half of the tries (the first half warms the JIT), in ms. */
  private static double pct(long[] nanos, double q) {
    long[] half = Arrays.copyOfRange(nanos, nanos.length / 2, nanos.length);
    Arrays.sort(half);
    return half[Math.min(half.length - 1, (int) Math.floor(q * half.length))] / 1e6;
  }
}
