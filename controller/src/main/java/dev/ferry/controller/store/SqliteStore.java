package dev.ferry.controller.store;

import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.SecurityGroup;
import dev.ferry.apps.model.Tenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The embedded default store: one SQLite file in WAL mode with synchronous=FULL, so a write is
 * on disk before the call returns. Writes are group-committed (see {@link #write}): the writer
 * thread, under {@code writeLock}, validates the queued writes one after another, commits them
 * in one transaction, applies them to the in-memory {@link ModelCache} and enqueues their
 * events, so allocation stays race-free and events stay in commit order; reads come from the
 * cache.
 */
public final class SqliteStore extends CachedStore {

  private static final Logger LOG = LogManager.getLogger(SqliteStore.class);

  private final Connection db;
  /**
   * Guards the connection, the cache's mutation and the model version: held by the writer
   * thread for a group (see {@link #write}), by writes outside the model and by snapshots.
   */
  final Object writeLock = new Object();
  /** Transactions committed (a group of writes counts once); guarded by writeLock. */
  private long transactions;

  private SqliteStore(Connection db) {
    this.db = db;
    writer.setDaemon(true);
  }

  /** Opens (creating and migrating as needed) {@code <dataDir>/ferry.db}. */
  public static SqliteStore open(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      Path file = dataDir.resolve("ferry.db");
      ownerOnly(file);
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA foreign_keys=ON");
        s.execute("PRAGMA busy_timeout=5000");
      }
      int from = Migrations.apply(c);
      SqliteStore store = new SqliteStore(c);
      store.load();
      store.addMissingDefaultGroups();
      store.writer.start();
      LOG.info("store {} opened (schema v{} -> v{}, model version {}): {} tenants, {} networks, {} ports, {} hosts, {} floating ips",
          file, from, Migrations.latest(), store.cache.version(), store.cache.tenants.size(), store.cache.networks.size(),
          store.cache.ports.size(), store.cache.hosts.size(), store.cache.floatingIps.size());
      return store;
    } catch (Exception e) {
      throw new IllegalStateException("cannot open store in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> OWNER_ONLY =
      java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");

  /**
   * The database holds every tenant's model and the token hashes: 0600. Created so before
   * SQLite opens it, because SQLite gives its -wal and -shm files the database file's mode.
   */
  private static void ownerOnly(Path file) throws java.io.IOException {
    if (Files.notExists(file)) {
      Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    }
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Path f = file.resolveSibling(file.getFileName() + suffix);
      if (Files.exists(f) && !Files.getPosixFilePermissions(f).equals(OWNER_ONLY)) {
        Files.setPosixFilePermissions(f, OWNER_ONLY);
      }
    }
  }

  private void load() throws Exception {
    for (Resource<?> kind : Resource.ALL) {
      readAll(kind);
    }
    loadTokens();
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SELECT version FROM model_version")) {
      cache.version(rs.next() ? rs.getLong(1) : 0);
    }
  }

  /** The token hashes (again after a failed commit: a tenant's or host's removal drops its own). */
  private void loadTokens() throws SQLException {
    readPairs("SELECT hash, tenant_id FROM tokens", cache.tenantOfTokenHash);
    readPairs("SELECT hash, host FROM host_tokens", cache.hostOfTokenHash);
  }

  private void readPairs(String query, Map<String, String> into) throws SQLException {
    into.clear();
    try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        into.put(rs.getString(1), rs.getString(2));
      }
    }
  }

  /** Tenants from before security groups (or a crash between writes) get their default group. */
  private void addMissingDefaultGroups() {
    synchronized (writeLock) {
      for (Tenant t : List.copyOf(cache.tenants.values())) {
        if (!cache.securityGroups.containsKey(SecurityGroup.defaultId(t.id()))) {
          List<Change<?>> group = Resource.TENANTS.creation(t);
          group = group.subList(1, group.size());
          List<Sql> sql = new ArrayList<>();
          group.forEach(c -> statements(c, sql));
          commit(sql);
          group.forEach(c -> c.apply(cache));
        }
      }
    }
  }

  private <T> void readAll(Resource<T> kind) throws Exception {
    try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT body FROM " + kind.table)) {
      while (rs.next()) {
        kind.put(cache, JSON.readValue(rs.getString(1), kind.type));
      }
    }
  }

  @Override
  public Model snapshot() {
    // Built under the writer's lock: a snapshot assembled while a write lands could otherwise
    // be cached after that write invalidated it, and go stale until the next write; and it
    // never shows a group's writes that are applied to the cache but not yet committed.
    synchronized (writeLock) {
      return cache.snapshot();
    }
  }

  // ---- tokens

  @Override
  public String issueToken(String tenantId) {
    String token = TokenHash.newToken();
    keepCredential(Resource.TENANTS, tenantId, TokenHash.sha256(token), "INSERT INTO tokens (hash, tenant_id, created_at)");
    return token;
  }

  @Override
  public void restoreTokenHash(String hash, String tenantId) {
    keepCredential(Resource.TENANTS, tenantId, hash, "INSERT OR REPLACE INTO tokens (hash, tenant_id, created_at)");
  }

  @Override
  public String issueHostToken(String hostName) {
    String token = TokenHash.newToken();
    keepCredential(Resource.HOSTS, hostName, TokenHash.sha256(token), "INSERT INTO host_tokens (hash, host, created_at)");
    return token;
  }

  /** Stores a credential's hash for a tenant or host that exists (no model change, no version). */
  private void keepCredential(Resource<?> owner, String id, String hash, String insert) {
    synchronized (writeLock) {
      existing(owner, id);
      commit(put(insert + " VALUES (?, ?, ?)", hash, id, Instant.now().toString()));
      (owner == Resource.TENANTS ? cache.tenantOfTokenHash : cache.hostOfTokenHash).put(hash, id);
    }
  }

  // ---- uplink next hops

  @Override
  public Map<String, UplinkNextHop> uplinkNextHops() {
    synchronized (writeLock) {
      Map<String, UplinkNextHop> out = new java.util.TreeMap<>();
      try (var ps = db.prepareStatement("SELECT host, next_hop, mac FROM uplink_next_hops");
          var rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), new UplinkNextHop(rs.getString(1), rs.getString(2), rs.getString(3)));
        }
      } catch (SQLException e) {
        throw new IllegalStateException("store read failed: " + e.getMessage(), e);
      }
      return out;
    }
  }

  @Override
  public void saveUplinkNextHop(UplinkNextHop hop) {
    synchronized (writeLock) {
      commit(put("INSERT OR REPLACE INTO uplink_next_hops (host, next_hop, mac) VALUES (?, ?, ?)",
          hop.host(), hop.nextHop(), hop.mac()));
    }
  }

  // ---- group commit

  /** Writes waiting for the writer thread. */
  private final LinkedBlockingQueue<PendingWrite<?>> pending = new LinkedBlockingQueue<>();
  /** Writes submitted and not yet answered (for tests of the grouping). */
  private final AtomicInteger unanswered = new AtomicInteger();
  private final Thread writer = new Thread(this::writeLoop, "ferry-store-writer");
  private volatile boolean closing;

  /** At most this many writes share one transaction (bounds a group's latency and its undo). */
  private static final int MAX_GROUP = 256;

  /** One caller's write: its planner, then its outcome, set by the writer thread. */
  private final class PendingWrite<R> {
    final Supplier<WritePlan<R>> planner;
    final CountDownLatch answered = new CountDownLatch(1);
    WritePlan<R> plan;
    R result;
    RuntimeException failure;

    PendingWrite(Supplier<WritePlan<R>> planner) {
      this.planner = planner;
    }

    void succeed() {
      result = plan.result();
      answer();
    }

    void fail(RuntimeException e) {
      failure = e;
      answer();
    }

    private void answer() {
      unanswered.decrementAndGet();
      answered.countDown();
    }
  }

  /**
   * Group commit. The caller queues its write and waits for its answer; the writer thread
   * ({@code ferry-store-writer}) takes, under {@code writeLock}, every write queued (up to
   * {@link #MAX_GROUP}), validates each in turn against the cache (each applied there before
   * the next is checked, so allocations never collide), commits all that passed in one
   * transaction (one fsync), then sets the versions, enqueues the events and answers them. A
   * write that fails validation fails alone; a failed commit is retried write by write. Every
   * answer comes after its write is durable.
   */
  @Override
  <R> R write(Supplier<WritePlan<R>> planner) {
    PendingWrite<R> mine = new PendingWrite<>(planner);
    unanswered.incrementAndGet();
    pending.add(mine);
    if (closing && pending.remove(mine)) {
      mine.fail(new IllegalStateException("store closed")); // the writer has stopped, or will not take it
    }
    try {
      mine.answered.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for a store write (it may still commit)", e);
    }
    if (mine.failure != null) {
      throw mine.failure;
    }
    return mine.result;
  }

  private void writeLoop() {
    while (true) {
      PendingWrite<?> first;
      try {
        first = pending.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        break;
      }
      if (first == null) {
        if (closing) {
          break; // everything queued before close is answered
        }
        continue;
      }
      List<PendingWrite<?>> group = new ArrayList<>();
      group.add(first);
      synchronized (writeLock) {
        // Drained under the lock: writes queued while the lock was busy join this group.
        pending.drainTo(group, MAX_GROUP - 1);
        try {
          commitGroup(group);
        } catch (RuntimeException | Error e) {
          LOG.error("store write group failed", e);
          group.stream().filter(w -> w.answered.getCount() > 0)
              .forEach(w -> w.fail(new IllegalStateException("store write failed: " + e, e)));
        }
      }
    }
    for (PendingWrite<?> w; (w = pending.poll()) != null; ) {
      w.fail(new IllegalStateException("store closed"));
    }
  }

  private void commitGroup(List<PendingWrite<?>> group) {
    long start = System.nanoTime();
    List<PendingWrite<?>> accepted = new ArrayList<>();
    List<Change<?>> applied = new ArrayList<>();
    for (PendingWrite<?> w : group) {
      try {
        plan(w);
        w.plan.changes().forEach(c -> {
          c.apply(cache);
          applied.add(c);
        });
        accepted.add(w);
      } catch (RuntimeException e) {
        w.fail(e);
      }
    }
    List<Sql> sql = new ArrayList<>();
    long version = cache.version();
    List<ModelEvent> events = new ArrayList<>();
    for (PendingWrite<?> w : accepted) {
      WritePlan<?> plan = w.plan;
      plan.changes().forEach(c -> statements(c, sql));
      if (plan.modelChange()) {
        long first = version + 1;
        for (Change<?> c : plan.changes()) {
          events.add(c.event(plan.versionEach() ? ++version : first));
        }
        version = Math.max(version, first);
      }
    }
    if (sql.isEmpty()) {
      accepted.forEach(PendingWrite::succeed);
      return;
    }
    if (version > cache.version()) {
      sql.add(put("UPDATE model_version SET version = ?", version));
    }
    try {
      commit(sql);
    } catch (RuntimeException e) {
      for (int i = applied.size() - 1; i >= 0; i--) {
        applied.get(i).undo(cache);
      }
      reloadTokens();
      if (accepted.size() == 1) {
        accepted.get(0).fail(e);
      } else {
        LOG.warn("group commit of {} writes failed ({}); committing them one by one", accepted.size(), e.getMessage());
        accepted.forEach(w -> commitGroup(List.of(w)));
      }
      return;
    }
    long took = System.nanoTime() - start;
    if (version > cache.version()) {
      cache.version(version);
    }
    events.forEach(this::publish);
    for (PendingWrite<?> w : accepted) {
      w.succeed();
      writeObserver.accept(took);
    }
  }

  /** Transactions committed since open (for tests of the grouping). */
  long transactions() {
    synchronized (writeLock) {
      return transactions;
    }
  }

  /** Writes submitted and not yet answered (for tests of the grouping). */
  int unansweredWrites() {
    return unanswered.get();
  }

  private <R> void plan(PendingWrite<R> w) {
    w.plan = w.planner.get();
  }

  private void reloadTokens() {
    try {
      loadTokens();
    } catch (SQLException e) {
      LOG.error("cannot re-read token hashes after a failed commit: {}", e.getMessage());
    }
  }

  /** The SQL of one change, with what a removed tenant or host owns outside the model. */
  private static void statements(Change<?> c, List<Sql> out) {
    Resource<?> kind = c.resource();
    if (c.deletes()) {
      if (kind == Resource.TENANTS) {
        out.add(put("DELETE FROM tokens WHERE tenant_id = ?", c.id()));
      } else if (kind == Resource.HOSTS) {
        out.add(put("DELETE FROM host_tokens WHERE host = ?", c.id()));
        out.add(put("DELETE FROM uplink_next_hops WHERE host = ?", c.id()));
      }
      out.add(put("DELETE FROM " + kind.table + " WHERE " + kind.idColumn + " = ?", c.id()));
    } else {
      out.add(row(c, kind));
    }
  }

  /** An insert of a created object, or an update of all its columns. */
  private static <T> Sql row(Change<?> change, Resource<T> kind) {
    T record = kind.cast(change.newValue());
    List<String> names = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    for (Resource.Column<T> col : kind.columns) {
      names.add(col.name());
      values.add(col.value().apply(record));
    }
    names.add("body");
    values.add(json(record));
    if (change.oldValue() == null) {
      names.add(0, kind.idColumn);
      values.add(0, change.id());
      return new Sql("INSERT INTO " + kind.table + " (" + String.join(", ", names) + ") VALUES ("
          + String.join(", ", java.util.Collections.nCopies(names.size(), "?")) + ")", values.toArray());
    }
    values.add(change.id());
    return new Sql("UPDATE " + kind.table + " SET " + String.join(" = ?, ", names) + " = ? WHERE "
        + kind.idColumn + " = ?", values.toArray());
  }

  // ---- plumbing

  /** One SQL statement with its parameters. */
  private record Sql(String text, Object[] params) {}

  private static Sql put(String text, Object... params) {
    return new Sql(text, params);
  }

  private volatile java.util.function.LongConsumer writeObserver = nanos -> {};

  /** Called with each committed write's duration in nanoseconds (metrics' histogram). */
  public void onWrite(java.util.function.LongConsumer observer) {
    writeObserver = observer;
  }

  private void commit(Sql... statements) {
    commit(List.of(statements));
  }

  /**
   * Runs the statements in one transaction; returns only once it is durable. Statements of
   * the same text share one prepared statement (a batch of ports is one insert, many times).
   */
  private void commit(List<Sql> statements) {
    try {
      db.setAutoCommit(false);
      Map<String, PreparedStatement> prepared = new java.util.HashMap<>();
      try {
        for (Sql sql : statements) {
          PreparedStatement ps = prepared.get(sql.text());
          if (ps == null) {
            ps = db.prepareStatement(sql.text());
            prepared.put(sql.text(), ps);
          }
          for (int i = 0; i < sql.params().length; i++) {
            ps.setObject(i + 1, sql.params()[i]);
          }
          ps.executeUpdate();
        }
        db.commit();
        transactions++;
      } catch (SQLException e) {
        db.rollback();
        throw e;
      } finally {
        for (PreparedStatement ps : prepared.values()) {
          ps.close();
        }
        db.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("store write failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    closing = true;
    try {
      writer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (writeLock) {
      drainEvents();
      try {
        db.close();
      } catch (SQLException e) {
        LOG.warn("closing store: {}", e.getMessage());
      }
    }
  }
}
