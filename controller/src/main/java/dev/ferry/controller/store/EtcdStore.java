package dev.ferry.controller.store;

import dev.ferry.apps.model.Model;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The clustered store: the model in etcd, one key per object ({@code /<prefix>/data/ports/<id>}
 * and so on, the record as JSON), read from a watched in-memory {@link ModelCache} that every
 * node keeps.
 *
 * <p><b>Writes.</b> A write validates with the same {@link ModelRules} as {@link SqliteStore},
 * against this node's cache as of the etcd revision it has applied, and commits as one etcd
 * transaction guarded by compare-and-swap on the mod revision of one commit key
 * ({@code data/commit}), which every model change rewrites. So a transaction commits only if
 * no other change (from any node) landed since the state it was validated against: VNI, IP and
 * MAC allocation stay race-free across nodes and If-Match keeps its meaning. A lost race waits
 * for the watch to bring the winner in and validates again. A write returns once this node's
 * cache has applied it (read-your-writes).
 *
 * <p><b>Reads and events.</b> The cache is fed only by a watch on the data prefix, from the
 * revision it has applied; events go out in revision order on one dispatch thread. A dropped
 * watch resumes from the applied revision; a compacted one falls back to a full reload, which
 * emits the difference as events. The model version is etcd's revision of the change.
 *
 * <p>Locks: {@code writeLock} serialises this node's writers; {@code cacheLock} guards the cache,
 * {@code appliedRevision} and {@code commitRevision} (taken by the watch applier and by a
 * writer while it validates, never across a network call).
 */
public final class EtcdStore extends CachedStore {

  private static final Logger LOG = LogManager.getLogger(EtcdStore.class);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
  private static final int MAX_ATTEMPTS = 100;
  /** One try of a write: a call stuck on a dead member is given up and sent again (guarded). */
  private static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(1500);

  /** Each kind by its directory under {@code data/}. */
  private static final Map<String, Resource<?>> KINDS = new HashMap<>();

  static {
    Resource.ALL.forEach(k -> KINDS.put(k.dir, k));
  }

  private final EtcdLocation location;
  private final Client client;
  private final KV kv;
  private final String data;
  private final ByteSequence dataPrefix;
  private final ByteSequence commitKey;
  /** Rewritten by writes that are not model changes but that validation reads (external pools). */
  private final ByteSequence auxKey;

  private final Object writeLock = new Object();
  private final Object cacheLock = new Object();
  private long appliedRevision;
  private long commitRevision;
  private long auxRevision;

  private final ScheduledExecutorService watchRestarts = Executors.newSingleThreadScheduledExecutor(
      r -> daemon(r, "ferry-etcd-watch"));
  private volatile Watch.Watcher watcher;
  private volatile boolean closed;
  private volatile long headRevision;
  private volatile LongConsumer writeObserver = nanos -> {};

  private EtcdStore(EtcdLocation location, Client client) {
    this.location = location;
    this.client = client;
    this.kv = client.getKVClient();
    this.data = location.root() + "data/";
    this.dataPrefix = bytes(data);
    this.commitKey = bytes(data + "commit");
    this.auxKey = bytes(data + "aux-commit");
  }

  /** Connects, loads the whole model and starts watching from the revision loaded. */
  public static EtcdStore open(EtcdLocation location) {
    Client client = client(location);
    EtcdStore store = new EtcdStore(location, client);
    try {
      store.reload();
      LOG.info("etcd store {} {} opened at revision {} (model version {}): {} tenants, {} networks, {} ports, {} hosts, {} floating ips",
          location.endpoints(), location.root(), store.appliedRevision, store.cache.version(),
          store.cache.tenants.size(), store.cache.networks.size(), store.cache.ports.size(),
          store.cache.hosts.size(), store.cache.floatingIps.size());
      return store;
    } catch (RuntimeException e) {
      store.close();
      throw new IllegalStateException("cannot open etcd store at " + location.endpoints() + ": " + e.getMessage(), e);
    }
  }

  /** An etcd client for this location (plain or TLS with a client certificate). */
  public static Client client(EtcdLocation location) {
    ClientBuilder b = Client.builder().endpoints(location.endpoints().toArray(java.net.URI[]::new))
        .connectTimeout(Duration.ofSeconds(3))
        // Sub-channels to every member: a dead member is skipped at once, not after a reconnect.
        .loadBalancerPolicy("round_robin")
        // Fail a call on a dead member at once (then retried), instead of waiting for it to return.
        .waitForReady(false)
        .keepaliveTime(Duration.ofSeconds(5)).keepaliveTimeout(Duration.ofSeconds(3))
        .retryMaxDuration(CALL_TIMEOUT);
    if (location.caCert() != null || location.clientCert() != null) {
      try {
        SslContextBuilder ssl = GrpcSslContexts.forClient();
        if (location.caCert() != null) {
          ssl.trustManager(location.caCert().toFile());
        }
        if (location.clientCert() != null) {
          ssl.keyManager(location.clientCert().toFile(), location.clientKey().toFile());
        }
        b.sslContext(ssl.build());
      } catch (javax.net.ssl.SSLException e) {
        throw new IllegalArgumentException("etcd TLS: " + e.getMessage(), e);
      }
    }
    return b.build();
  }

  public EtcdLocation location() {
    return location;
  }

  /** The etcd revision this node's cache has applied. */
  public long appliedRevision() {
    synchronized (cacheLock) {
      return appliedRevision;
    }
  }

  /** How many etcd revisions the last watch response said etcd was ahead of this cache. */
  public long watchLagRevisions() {
    return Math.max(0, headRevision - appliedRevision());
  }

  /** Called with each committed write's duration in nanoseconds (metrics' histogram). */
  public void onWrite(LongConsumer observer) {
    writeObserver = observer;
  }

  // ---- loading and watching

  /** Reads the whole data prefix, applies the difference to the cache and watches from there. */
  private void reload() {
    GetResponse all = await(kv.get(dataPrefix, GetOption.builder().isPrefix(true).build()), "load");
    long revision = all.getHeader().getRevision();
    Map<Resource<?>, Map<String, Object>> fresh = new HashMap<>();
    Resource.ALL.forEach(k -> fresh.put(k, new HashMap<>()));
    Map<String, String> tokens = new HashMap<>();
    Map<String, String> hostTokens = new HashMap<>();
    long commit = 0;
    long aux = 0;
    for (KeyValue kvp : all.getKvs()) {
      String rel = key(kvp).substring(data.length());
      if (rel.equals("commit")) {
        commit = kvp.getModRevision();
        continue;
      }
      if (rel.equals("aux-commit")) {
        aux = kvp.getModRevision();
        continue;
      }
      Parsed p = parse(rel);
      if (p == null) {
        continue;
      }
      if (p.dir.equals("tokens")) {
        tokens.put(p.id, p.owner);
      } else if (p.dir.equals("host-tokens")) {
        hostTokens.put(p.id, p.owner);
      } else if (p.kind != null) {
        fresh.get(p.kind).put(p.id, record(p.kind, kvp));
      }
    }
    List<ModelEvent> events = new ArrayList<>();
    synchronized (cacheLock) {
      boolean first = appliedRevision == 0;
      long version = commit;
      // Removals child-first, then puts parent-first, so the indexes stay whole.
      List<Resource<?>> order = Resource.ALL;
      for (int i = order.size() - 1; i >= 0; i--) {
        Resource<?> k = order.get(i);
        for (String id : new ArrayList<>(k.map(cache).keySet())) {
          if (!fresh.get(k).containsKey(id)) {
            applyRemove(k, id, version, events);
          }
        }
      }
      for (Resource<?> k : order) {
        for (Map.Entry<String, Object> e : fresh.get(k).entrySet()) {
          if (!e.getValue().equals(k.map(cache).get(e.getKey()))) {
            applyPut(k, e.getKey(), e.getValue(), version, events);
          }
        }
      }
      cache.tenantOfTokenHash.clear();
      cache.tenantOfTokenHash.putAll(tokens);
      cache.hostOfTokenHash.clear();
      cache.hostOfTokenHash.putAll(hostTokens);
      appliedRevision = revision;
      commitRevision = commit;
      auxRevision = aux;
      cache.version(commit);
      cacheLock.notifyAll();
      if (!first) {
        LOG.warn("etcd store reloaded at revision {}: {} changes", revision, events.size());
        events.forEach(this::publish);
      }
    }
    headRevision = revision;
    watchFrom(revision + 1);
  }

  private void watchFrom(long revision) {
    if (closed) {
      return;
    }
    WatchOption opt = WatchOption.builder().isPrefix(true).withRevision(revision).build();
    watcher = client.getWatchClient().watch(dataPrefix, opt, Watch.listener(this::apply, this::watchFailed));
  }

  private void watchFailed(Throwable t) {
    if (closed) {
      return;
    }
    Watch.Watcher w = watcher;
    if (w != null) {
      w.close();
    }
    Throwable cause = t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof CompactedException) {
      LOG.warn("etcd watch: revision compacted ({}); reloading the whole model", cause.getMessage());
      watchRestarts.execute(this::reloadOrRetry);
    } else {
      long from = appliedRevision() + 1;
      LOG.warn("etcd watch dropped ({}); resuming from revision {}", cause.toString(), from);
      watchRestarts.schedule(() -> watchFrom(from), 200, TimeUnit.MILLISECONDS);
    }
  }

  private void reloadOrRetry() {
    try {
      reload();
    } catch (RuntimeException e) {
      LOG.warn("etcd reload failed ({}); retrying", e.getMessage());
      watchRestarts.schedule(this::reloadOrRetry, 500, TimeUnit.MILLISECONDS);
    }
  }

  /** Applies one watch response; every event of a revision arrives in one response. */
  private void apply(WatchResponse response) {
    headRevision = Math.max(headRevision, response.getHeader().getRevision());
    List<ModelEvent> events = new ArrayList<>();
    synchronized (cacheLock) {
      long last = appliedRevision;
      for (WatchEvent e : response.getEvents()) {
        KeyValue kvp = e.getKeyValue();
        long rev = kvp.getModRevision();
        if (rev <= appliedRevision) {
          continue; // already applied (a resumed watch may repeat the revision it resumed at)
        }
        String rel = key(kvp).substring(data.length());
        boolean put = e.getEventType() == WatchEvent.EventType.PUT;
        if (rel.equals("commit")) {
          commitRevision = rev;
          cache.version(rev);
        } else if (rel.equals("aux-commit")) {
          auxRevision = rev;
        } else {
          Parsed p = parse(rel);
          if (p == null) {
            LOG.warn("etcd store: ignoring unknown key {}", key(kvp));
          } else if (p.dir.equals("tokens") || p.dir.equals("host-tokens")) {
            Map<String, String> m = p.dir.equals("tokens") ? cache.tenantOfTokenHash : cache.hostOfTokenHash;
            if (put) {
              m.put(p.id, p.owner);
            } else {
              m.remove(p.id);
            }
          } else if (p.kind == null) {
            // next-hops/: runtime facts read on demand, not cached
          } else if (put) {
            applyPut(p.kind, p.id, record(p.kind, kvp), rev, events);
          } else {
            applyRemove(p.kind, p.id, rev, events);
          }
        }
        last = Math.max(last, rev);
      }
      if (last > appliedRevision) {
        appliedRevision = last;
        cacheLock.notifyAll();
      }
      // Enqueued under the lock, so events of successive responses keep revision order.
      events.forEach(this::publish);
    }
  }

  private <T> void applyPut(Resource<T> k, String id, Object record, long version, List<ModelEvent> events) {
    T old = k.map(cache).get(id);
    T neu = k.cast(record);
    k.put(cache, neu);
    if (k.inModel()) {
      events.add(new ModelEvent(k.event, id, old, neu, version));
    }
  }

  private <T> void applyRemove(Resource<T> k, String id, long version, List<ModelEvent> events) {
    T old = k.map(cache).get(id);
    if (old == null) {
      return;
    }
    k.remove(cache, old);
    if (k.inModel()) {
      events.add(new ModelEvent(k.event, id, old, null, version));
    }
  }

  /**
   * A data key, relative to {@code data/}: a model object ({@code kind} set), a token
   * ({@code tokens/<tenant>/<hash>}, {@code host-tokens/<host>/<hash>}: id is the hash, owner the
   * tenant or host), a next hop ({@code next-hops/<host>}); a {@link Resource} (external pools
   * too: {@code pools/<name>}) sets {@code kind}.
   */
  private record Parsed(String dir, Resource<?> kind, String id, String owner) {}

  private static Parsed parse(String rel) {
    int slash = rel.indexOf('/');
    if (slash < 0) {
      return null;
    }
    String dir = rel.substring(0, slash);
    String rest = rel.substring(slash + 1);
    if (dir.equals("tokens") || dir.equals("host-tokens")) {
      int s = rest.indexOf('/');
      return s < 0 ? null : new Parsed(dir, null, rest.substring(s + 1), rest.substring(0, s));
    }
    if (dir.equals("next-hops")) {
      return new Parsed(dir, null, rest, null);
    }
    Resource<?> k = KINDS.get(dir);
    return k == null ? null : new Parsed(dir, k, rest, null);
  }

  private static Object record(Resource<?> k, KeyValue kvp) {
    try {
      return JSON.readValue(kvp.getValue().getBytes(), k.type);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("unreadable " + k + " at " + key(kvp) + ": " + e.getMessage(), e);
    }
  }

  // ---- the write path

  /** What one write would commit: its result, and the etcd operations (none: nothing to do). */
  /**
   * @param proofKey a key whose content tells whether this plan's transaction applied (after an
   *     answer that got lost): it holds {@code proofValue}, or is absent when that is null
   */
  private record Plan<T>(T result, List<Op> ops, boolean modelChange, ByteSequence proofKey, ByteSequence proofValue,
      boolean auxChange) {
    Plan(T result, List<Op> ops, boolean modelChange) {
      this(result, ops, modelChange, null, null, false);
    }

    Plan(T result, List<Op> ops, boolean modelChange, ByteSequence proofKey, ByteSequence proofValue) {
      this(result, ops, modelChange, proofKey, proofValue, false);
    }
  }

  private long auxRevisionNow() {
    synchronized (cacheLock) {
      return auxRevision;
    }
  }

  private ByteSequence objectKey(Resource<?> k, String id) {
    return bytes(data + k.dir + "/" + id);
  }

  /**
   * The generic write: the plan's changes as one guarded transaction (a model change rewrites
   * the commit key, a pool the aux key), with what a removed tenant or host owns outside the
   * model; the primary change's key is the proof of a transaction whose answer was lost.
   */
  @Override
  <R> R write(Supplier<WritePlan<R>> planner) {
    return transact(() -> {
      WritePlan<R> plan = planner.get();
      if (plan.changes().isEmpty()) {
        return new Plan<>(plan.result(), List.of(), false);
      }
      List<Op> ops = new ArrayList<>();
      boolean aux = false;
      for (Change<?> c : plan.changes()) {
        aux |= !c.resource().inModel();
        if (!c.deletes()) {
          ops.add(Op.put(objectKey(c.resource(), c.id()), bytes(json(c.newValue())), PutOption.DEFAULT));
          continue;
        }
        if (c.resource() == Resource.TENANTS) {
          ops.add(Op.delete(bytes(data + "tokens/" + c.id() + "/"), DeleteOption.builder().isPrefix(true).build()));
        } else if (c.resource() == Resource.HOSTS) {
          ops.add(Op.delete(bytes(data + "host-tokens/" + c.id() + "/"), DeleteOption.builder().isPrefix(true).build()));
          ops.add(Op.delete(bytes(data + "next-hops/" + c.id()), DeleteOption.DEFAULT));
        }
        ops.add(Op.delete(objectKey(c.resource(), c.id()), DeleteOption.DEFAULT));
      }
      Change<?> proof = plan.primary();
      return new Plan<>(plan.result(), ops, plan.modelChange(), objectKey(proof.resource(), proof.id()),
          proof.deletes() ? null : bytes(json(proof.newValue())), aux);
    });
  }

  /**
   * Validates against the cache and commits if no change landed since; on a lost race waits
   * for the winner to be applied and tries again.
   */
  private <T> T transact(Supplier<Plan<T>> planner) {
    synchronized (writeLock) {
      long start = System.nanoTime();
      Plan<T> uncertain = null; // sent, but whether it applied is not known yet
      long uncertainExpected = 0;
      long uncertainExpectedAux = 0;
      for (int attempt = 1; ; attempt++) {
        Plan<T> plan;
        long expected = 0;
        long expectedAux = auxRevisionNow();
        try {
          if (uncertain != null) {
            plan = uncertain; // the same transaction again: its guard makes that safe
            expected = uncertainExpected;
            expectedAux = uncertainExpectedAux;
          } else {
            synchronized (cacheLock) {
              expected = commitRevision;
              expectedAux = auxRevision;
              plan = planner.get();
            }
          }
        } catch (Rejection rejected) {
          // This node's cache may lag a change another node committed (the write a client just
          // made there): refuse only what the newest model refuses.
          long newest = commitModRevision();
          if (newest <= expected || attempt >= MAX_ATTEMPTS) {
            throw rejected;
          }
          awaitApplied(newest);
          continue;
        }
        if (plan.ops().isEmpty()) {
          return plan.result();
        }
        List<Op> ops = new ArrayList<>(plan.ops());
        if (plan.modelChange()) {
          ops.add(Op.put(commitKey, ByteSequence.EMPTY, PutOption.DEFAULT));
        }
        if (plan.auxChange()) {
          ops.add(Op.put(auxKey, ByteSequence.EMPTY, PutOption.DEFAULT));
        }
        TxnResponse r;
        try {
          r = await(kv.txn()
              .If(new Cmp(commitKey, Cmp.Op.EQUAL, CmpTarget.modRevision(expected)),
                  new Cmp(auxKey, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedAux)))
              .Then(ops.toArray(Op[]::new))
              .Else(Op.get(commitKey, GetOption.DEFAULT), Op.get(auxKey, GetOption.DEFAULT))
              .commit(), "write", ATTEMPT_TIMEOUT);
        } catch (Rejection lost) {
          // No answer (a member died under the call, an election): the transaction may or may
          // not have applied. Its guard makes it safe to find out and, if not, to plan again.
          if (System.nanoTime() - start > CALL_TIMEOUT.toNanos()) {
            throw lost;
          }
          LOG.debug("etcd write without answer ({}); checking whether it applied", lost.getMessage());
          sleepQuietly(100);
          uncertain = plan;
          uncertainExpected = expected;
          uncertainExpectedAux = expectedAux;
          try {
            long applied = appliedRevisionOf(plan, expected);
            if (applied > 0) {
              awaitApplied(applied);
              writeObserver.accept(System.nanoTime() - start);
              return plan.result();
            }
            uncertain = null; // it did not apply: plan afresh
          } catch (Rejection stillDown) {
            // cannot tell yet: send the same transaction again
          }
          continue;
        }
        if (!r.isSucceeded() && uncertain != null) {
          // The guard failed after a lost answer: maybe because that earlier send applied.
          long applied = appliedRevisionOf(plan, expected);
          uncertain = null;
          if (applied > 0) {
            awaitApplied(applied);
            writeObserver.accept(System.nanoTime() - start);
            return plan.result();
          }
        }
        if (r.isSucceeded()) {
          awaitApplied(r.getHeader().getRevision());
          writeObserver.accept(System.nanoTime() - start);
          return plan.result();
        }
        if (attempt >= MAX_ATTEMPTS) {
          throw Rejection.unavailable("the etcd store is too contended: " + attempt + " attempts lost the race; retry");
        }
        long newest = 0;
        for (GetResponse g : r.getGetResponses()) {
          for (KeyValue k : g.getKvs()) {
            newest = Math.max(newest, k.getModRevision());
          }
        }
        awaitApplied(newest == 0 ? r.getHeader().getRevision() : newest);
      }
    }
  }

  /**
   * After a write whose answer was lost: the revision it applied at, or -1 when it did not
   * apply (the guard still holds, or the proof key does not show this plan's content). Throws
   * {@link Rejection} when etcd cannot be asked.
   */
  private long appliedRevisionOf(Plan<?> plan, long expected) {
    GetResponse proof = await(kv.get(plan.proofKey()), "read");
    long commit = commitModRevision();
    if (plan.modelChange() && commit == expected) {
      return -1;
    }
    List<KeyValue> kvs = proof.getKvs();
    boolean shows = plan.proofValue() == null ? kvs.isEmpty()
        : !kvs.isEmpty() && kvs.get(0).getValue().equals(plan.proofValue());
    if (!shows) {
      return -1;
    }
    return plan.proofValue() == null ? commit : kvs.get(0).getModRevision();
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The commit key's mod revision in etcd now (a linearizable read). */
  private long commitModRevision() {
    GetResponse r = await(kv.get(commitKey), "read");
    return r.getKvs().isEmpty() ? 0 : r.getKvs().get(0).getModRevision();
  }

  /** Waits until the watch has brought this node's cache to at least {@code revision}. */
  private void awaitApplied(long revision) {
    long deadline = System.nanoTime() + CALL_TIMEOUT.toNanos();
    synchronized (cacheLock) {
      while (appliedRevision < revision) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw Rejection.unavailable("etcd committed revision " + revision + " but this node's watch has not"
              + " applied it yet (applied " + appliedRevision + "); the write took effect");
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(cacheLock, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted waiting for revision " + revision, e);
        }
      }
    }
  }

  private static <R> R await(CompletableFuture<R> f, String what) {
    return await(f, what, CALL_TIMEOUT);
  }

  private static <R> R await(CompletableFuture<R> f, String what, Duration timeout) {
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw Rejection.unavailable("etcd did not answer the " + what + " within " + CALL_TIMEOUT.toSeconds()
          + " s (is a quorum of its members up?); a write may or may not have been applied");
    } catch (ExecutionException e) {
      throw Rejection.unavailable("etcd " + what + " failed: " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during etcd " + what, e);
    }
  }

  // ---- Store

  @Override
  public Model snapshot() {
    synchronized (cacheLock) {
      return cache.snapshot();
    }
  }

  @Override
  public String issueToken(String tenantId) {
    String token = TokenHash.newToken();
    return keepCredential(Resource.TENANTS, "tokens/", tenantId, TokenHash.sha256(token), token);
  }

  /**
   * Keeps a credential's hash under its tenant or host ({@code <dir><owner>/<hash>}). Guarded
   * by the commit key like a model change (an owner deleted meanwhile fails it), but it does
   * not rewrite that key: a credential is not part of the model and takes no version.
   */
  private <R> R keepCredential(Resource<?> kind, String dir, String owner, String hash, R result) {
    return transact(() -> {
      existing(kind, owner);
      ByteSequence key = bytes(data + dir + owner + "/" + hash);
      return new Plan<>(result, List.of(Op.put(key, bytes(owner), PutOption.DEFAULT)), false, key, bytes(owner));
    });
  }

  // ---- host credentials and runtime facts

  @Override
  public String issueHostToken(String hostName) {
    String token = TokenHash.newToken();
    return keepCredential(Resource.HOSTS, "host-tokens/", hostName, TokenHash.sha256(token), token);
  }

  @Override
  public Map<String, UplinkNextHop> uplinkNextHops() {
    GetResponse all = await(kv.get(bytes(data + "next-hops/"), GetOption.builder().isPrefix(true).build()), "read");
    Map<String, UplinkNextHop> out = new java.util.TreeMap<>();
    for (KeyValue kvp : all.getKvs()) {
      try {
        UplinkNextHop hop = JSON.readValue(kvp.getValue().getBytes(), UplinkNextHop.class);
        out.put(hop.host(), hop);
      } catch (java.io.IOException e) {
        LOG.warn("etcd store: unreadable next hop at {}: {}", key(kvp), e.getMessage());
      }
    }
    return out;
  }

  @Override
  public void saveUplinkNextHop(UplinkNextHop hop) {
    // A runtime fact, last writer wins (as SQLite's replace); only for a host that exists.
    transact(() -> {
      existing(Resource.HOSTS, hop.host());
      ByteSequence key = bytes(data + "next-hops/" + hop.host());
      ByteSequence value = bytes(json(hop));
      return new Plan<>(null, List.of(Op.put(key, value, PutOption.DEFAULT)), false, key, value);
    });
  }

  @Override
  public void restoreTokenHash(String hash, String tenantId) {
    keepCredential(Resource.TENANTS, "tokens/", tenantId, hash, null);
  }

  // ---- plumbing

  /** A key as etcd takes it. */
  public static ByteSequence bytesOf(String s) {
    return bytes(s);
  }

  static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private static String key(KeyValue kvp) {
    return kvp.getKey().toString(StandardCharsets.UTF_8);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** The etcd client, for the cluster's own keys (membership, mastership). */
  public Client etcd() {
    return client;
  }

  @Override
  public void close() {
    closed = true;
    Watch.Watcher w = watcher;
    if (w != null) {
      w.close();
    }
    watchRestarts.shutdownNow();
    drainEvents();
    client.close();
  }
}
