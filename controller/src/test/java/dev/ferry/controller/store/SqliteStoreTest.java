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
  void eventsFollowCommitsInOrderWithOldAndNew() throws Exception {
    List<ModelEvent> events = new CopyOnWriteArrayList<>();
    try (SqliteStore store = SqliteStore.open(dir)) {
      store.subscribe(events::add);
      Tenant t = store.createTenant(new Tenant("t", "T", 0));
      Network n = store.createNetwork(new Network(null, "t", "n", 0, "10.0.0.0/24", null, true, 1450, null, null, 0));
      Port p = store.createPort(new Port(null, n.id(), null, null, null, null, null, true, 0));
      Port p2 = store.updatePort(new Port(p.id(), n.id(), "named", null, null, null, null, true, 0), 1L);
      assertThrows(Rejection.class, () -> store.createPort(new Port(null, n.id(), null, null, p.ip(), null, null, true, 0)));
      store.deletePort(p.id(), null);
      waitFor(() -> events.size() == 5);
      assertEquals(List.of(
          new ModelEvent(ModelEvent.Kind.TENANT, "t", null, t, 1),
          new ModelEvent(ModelEvent.Kind.NETWORK, n.id(), null, n, 2),
          new ModelEvent(ModelEvent.Kind.PORT, p.id(), null, p, 3),
          new ModelEvent(ModelEvent.Kind.PORT, p.id(), p, p2, 4),
          // the rejected create took no version
          new ModelEvent(ModelEvent.Kind.PORT, p.id(), p2, null, 5)), events);
      assertEquals(2, p2.revision());
      assertNull(store.snapshot().ports().get(p.id()));
    }
  }

  @Test
  void everyCommittedChangeTakesTheNextModelVersionAndKeepsItAcrossRestarts() {
    try (SqliteStore store = SqliteStore.open(dir)) {
      assertEquals(0, store.version());
      assertEquals(0, store.snapshot().version());
      store.createTenant(new Tenant("t", "T", 0));
      assertEquals(1, store.version());
      assertEquals(1, store.snapshot().version());
      store.issueToken("t"); // a token is not part of the model
      assertThrows(Rejection.class, () -> store.createTenant(new Tenant("t", "again", 0)));
      store.updateTenant(new Tenant("t", "T2", 0), null);
      assertEquals(2, store.version());
      assertEquals(2, store.snapshot().version());
    }
    try (SqliteStore store = SqliteStore.open(dir)) {
      assertEquals(2, store.version());
      assertEquals(2, store.snapshot().version());
      store.deleteTenant("t", null);
      assertEquals(3, store.version());
    }
  }

  @Test
  void reopenRestoresTheModelAndTokens() {
    String token;
    Object before;
    try (SqliteStore store = SqliteStore.open(dir)) {
      store.createTenant(new Tenant("t", "T", 0));
      Network n = store.createNetwork(new Network(null, "t", "n", 0, "10.0.0.0/24", null, true, 1450, List.of("9.9.9.9"), null, 0));
      store.createPort(new Port(null, n.id(), "p", null, null, null, null, true, 0));
      token = store.issueToken("t");
      before = store.snapshot();
    }
    try (SqliteStore store = SqliteStore.open(dir)) {
      assertEquals(before, store.snapshot());
      assertEquals("t", store.tenantOfToken(token).orElseThrow());
      // The next allocation still avoids the address restored from disk.
      Port next = store.createPort(new Port(null, store.networks().get(0).id(), null, null, null, null, null, true, 0));
      assertEquals("10.0.0.3", next.ip());
    }
  }

  @Test
  void storesTokensOnlyHashedAndRecordsTheSchemaVersion() throws Exception {
    String token;
    try (SqliteStore store = SqliteStore.open(dir)) {
      store.createTenant(new Tenant("t", "T", 0));
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

  private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }
}
