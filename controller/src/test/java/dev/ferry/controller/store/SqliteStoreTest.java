package dev.ferry.controller.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.model.Tenant;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest {

  @TempDir
  Path dir;

  @Test
  void everyCommittedChangeTakesTheNextModelVersionAndKeepsItAcrossRestarts() {
    try (SqliteStore store = SqliteStore.open(dir)) {
      assertEquals(0, store.version());
      assertEquals(0, store.snapshot().version());
      store.create(Resource.TENANTS, new Tenant("t", "T", 0));
      assertEquals(1, store.version());
      assertEquals(1, store.snapshot().version());
      store.issueToken("t"); // a token is not part of the model
      assertThrows(Rejection.class, () -> store.create(Resource.TENANTS, new Tenant("t", "again", 0)));
      store.update(Resource.TENANTS, new Tenant("t", "T2", 0), null);
      assertEquals(2, store.version());
      assertEquals(2, store.snapshot().version());
    }
    try (SqliteStore store = SqliteStore.open(dir)) {
      assertEquals(2, store.version());
      assertEquals(2, store.snapshot().version());
      store.delete(Resource.TENANTS, "t", null);
      assertEquals(3, store.version());
    }
  }

  @Test
  void concurrentWritesShareOneCommitAndARefusedOneFailsAlone() throws Exception {
    try (SqliteStore store = SqliteStore.open(dir)) {
      store.create(Resource.TENANTS, new Tenant("t", "T", 0));
      Network n = store.create(Resource.NETWORKS, new Network(null, "t", "n", 0, "10.0.0.0/24", null, true, 1450, null, null, 0));
      Port first = store.create(Resource.PORTS, new Port(null, n.id(), null, null, null, null, null, true, 0));
      long versionBefore = store.version();
      long transactionsBefore = store.transactions();
      int writers = 12;
      var pool = java.util.concurrent.Executors.newFixedThreadPool(writers + 1);
      try {
        List<java.util.concurrent.Future<Port>> done = new java.util.ArrayList<>();
        java.util.concurrent.Future<Port> refused;
        // Holding the writer's lock, as the writer thread in its fsync would: every write queues.
        synchronized (store.writeLock) {
          for (int i = 0; i < writers; i++) {
            done.add(pool.submit(() -> store.create(Resource.PORTS, new Port(null, n.id(), null, null, null, null, null, true, 0))));
          }
          refused = pool.submit(() -> store.create(Resource.PORTS, new Port(null, n.id(), null, null, first.ip(), null, null, true, 0)));
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          while (store.unansweredWrites() < writers + 1) {
            if (System.nanoTime() > deadline) {
              throw new AssertionError("writers did not queue: " + store.unansweredWrites());
            }
            Thread.sleep(5);
          }
        }
        java.util.Set<String> ips = new java.util.HashSet<>(List.of(first.ip()));
        for (var f : done) {
          Port p = f.get(10, TimeUnit.SECONDS);
          assertEquals(true, ips.add(p.ip()), "each write saw the ones before it: " + p.ip());
        }
        var failure = assertThrows(java.util.concurrent.ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS));
        assertEquals("ip_taken", ((Rejection) failure.getCause()).code());
        assertEquals(transactionsBefore + 1, store.transactions(), "one transaction for the whole group");
        assertEquals(versionBefore + writers, store.version(), "each accepted write its own version");
      } finally {
        pool.shutdownNow();
      }
    }
    try (SqliteStore store = SqliteStore.open(dir)) {
      assertEquals(13, store.list(Resource.PORTS).size(), "the group is durable");
    }
  }

  @Test
  void storesTokensOnlyHashedAndRecordsTheSchemaVersion() throws Exception {
    String token;
    try (SqliteStore store = SqliteStore.open(dir)) {
      store.create(Resource.TENANTS, new Tenant("t", "T", 0));
      token = store.issueToken("t");
    }
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("ferry.db"))) {
      var rs = c.createStatement().executeQuery("SELECT hash FROM tokens");
      rs.next();
      assertEquals(TokenHash.sha256(token), rs.getString(1));
      var v = c.createStatement().executeQuery("SELECT version FROM schema_version");
      v.next();
      assertEquals(Migrations.latest(), v.getInt(1));
      var mode = c.createStatement().executeQuery("PRAGMA journal_mode");
      mode.next();
      assertEquals("wal", mode.getString(1));
    }
  }

  /** A learned next hop survives a restart and goes with its host. */
  @Test
  void uplinkNextHopsSurviveReopenAndLeaveWithTheirHost() {
    var hop = new UplinkNextHop("h1", "203.0.113.1", "02:00:00:00:99:01");
    try (SqliteStore store = SqliteStore.open(dir)) {
      store.create(Resource.HOSTS, new dev.ferry.apps.model.Host("h1", 1, "192.168.5.1", null, 0));
      store.saveUplinkNextHop(new UplinkNextHop("h1", "203.0.113.1", "02:00:00:00:99:99"));
      store.saveUplinkNextHop(hop);
    }
    try (SqliteStore store = SqliteStore.open(dir)) {
      assertEquals(java.util.Map.of("h1", hop), store.uplinkNextHops());
      store.delete(Resource.HOSTS, "h1", null);
      assertEquals(java.util.Map.of(), store.uplinkNextHops());
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }
}
