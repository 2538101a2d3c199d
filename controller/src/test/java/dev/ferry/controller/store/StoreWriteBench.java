package dev.ferry.controller.store;

import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.model.Tenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * SQLite group commit without REST in the way (not a test; run by hand): port creates from N
 * concurrent writers straight into a {@link SqliteStore}, and how many transactions (fsyncs)
 * they took, which the machine's load does not change the way it changes rates:
 *
 * <pre>
 * java -cp controller/target/test-classes:controller/target/ferry-controller.jar:controller/target/lib/* \
 *     dev.ferry.controller.store.StoreWriteBench [writes=2000] [writers=1,16]
 * </pre>
 */
public final class StoreWriteBench {

  public static void main(String[] args) throws Exception {
    int writes = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    String[] writers = (args.length > 1 ? args[1] : "1,16").split(",");
    for (String w : writers) {
      run(Integer.parseInt(w), writes);
    }
  }

  private static void run(int writers, int writes) throws Exception {
    Path dir = Files.createTempDirectory("ferry-store-bench");
    try (SqliteStore store = SqliteStore.open(dir)) {
      store.create(Resource.TENANTS, new Tenant("t", "T", 0));
      Network n = store.create(Resource.NETWORKS, new Network(null, "t", "n", 0, "10.0.0.0/8", null, true, 1450, null, null, 0));
      long transactions = store.transactions();
      long start = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < writers; c++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < writes / writers; i++) {
            store.create(Resource.PORTS, new Port(null, n.id(), null, null, null, null, null, true, 0));
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
      double s = (System.nanoTime() - start) / 1e9;
      long took = store.transactions() - transactions;
      System.out.printf("store writes, %d writer(s): %d ports at %.0f writes/s in %d transactions (%.1f writes each)%n",
          writers, writes, writes / s, took, (double) writes / took);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
