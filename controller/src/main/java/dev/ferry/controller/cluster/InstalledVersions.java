package dev.ferry.controller.cluster;

import dev.ferry.controller.engine.Engine;
import dev.ferry.southbound.Dpid;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Which model version each switch holds, told across the cluster, so that a write through any
 * node can wait for the switches it concerns (REST {@code ?wait=switches}) although only their
 * masters know what they hold.
 *
 * <p>A switch's master publishes {@code /<root>/cluster/installed/<dpid>} = "{@code <generation>
 * <version>}" under its lease whenever the switch holds a newer version (the generation is that
 * of its master key, so an entry of a deposed master or of an earlier connection never counts).
 * Every node reads these keys through {@link Mastership}'s watch on {@code cluster/}, in revision
 * order with the master keys, so a new master's entry is never seen before its claim.
 *
 * <p>Threads: {@link #installed} is called by the engine's switch workers and only queues;
 * "ferry-installed" writes the queue to etcd (one transaction per batch, so a burst of versions
 * costs one write per switch at most). {@link #apply} and {@link #heard} run on the mastership
 * thread; {@link #installedVersion} (the engine's waits) reads the concurrent {@code entries}.
 */
public final class InstalledVersions implements Engine.Elsewhere, AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(InstalledVersions.class);
  /** etcd refuses transactions of more than 128 operations by default. */
  private static final int MAX_OPS = 100;

  private record Entry(long generation, long version) {}

  private final Client etcd;
  private final String prefix;
  private final Mastership mastership;
  private final long timeoutMs;
  /** What the masters published, by dpid: written by the mastership thread only. */
  private final Map<Long, Entry> entries = new ConcurrentHashMap<>();
  /** Versions still to publish: guarded by this object's monitor. */
  private final Map<Long, Entry> queued = new HashMap<>();
  private boolean flushScheduled;
  private volatile Engine.VersionListener heard = (dpid, version) -> { };
  private volatile boolean closed;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "ferry-installed");
    t.setDaemon(true);
    return t;
  });

  InstalledVersions(Client etcd, String prefix, Mastership mastership, java.time.Duration timeout) {
    this.etcd = etcd;
    this.prefix = prefix;
    this.mastership = mastership;
    this.timeoutMs = timeout.toMillis();
  }

  /** Who hears that another node's switch holds a version (the engine's waits). */
  public InstalledVersions onHeard(Engine.VersionListener listener) {
    this.heard = listener;
    return this;
  }

  String prefix() {
    return prefix;
  }

  // ---- the master's side

  /** A switch holds this model version now (switch worker): published when we are its master. */
  public void installed(long dpid, long version) {
    Mastership.Holder h = mastership.holder(dpid);
    if (closed || h == null || !h.node().equals(mastership.nodeId()) || !mastership.isMaster(dpid)) {
      return;
    }
    synchronized (this) {
      queue(dpid, new Entry(h.generation(), version));
      if (!flushScheduled) {
        flushScheduled = true;
        thread.execute(this::flush);
      }
    }
  }

  private void queue(long dpid, Entry e) {
    queued.merge(dpid, e, (old, neu) -> neu.generation() != old.generation() || neu.version() >= old.version() ? neu : old);
  }

  private void flush() {
    Map<Long, Entry> batch;
    synchronized (this) {
      batch = new HashMap<>(queued);
      queued.clear();
      flushScheduled = false;
    }
    List<Map.Entry<Long, Entry>> all = new ArrayList<>(batch.entrySet());
    for (int from = 0; from < all.size() && !closed; from += MAX_OPS) {
      List<Map.Entry<Long, Entry>> chunk = all.subList(from, Math.min(all.size(), from + MAX_OPS));
      PutOption lease = PutOption.builder().withLeaseId(mastership.lease()).build();
      Op[] puts = chunk.stream().map(e -> (Op) Op.put(bytes(prefix + Dpid.format(e.getKey())),
          bytes(e.getValue().generation() + " " + e.getValue().version()), lease)).toArray(Op[]::new);
      try {
        etcd.getKVClient().txn().Then(puts).commit().get(timeoutMs, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        LOG.debug("cluster: cannot publish installed versions yet: {}", e.toString());
        synchronized (this) {
          chunk.forEach(c -> queue(c.getKey(), c.getValue())); // newer ones queued meanwhile win
          if (!flushScheduled && !closed) {
            flushScheduled = true;
            thread.schedule(this::flush, 200, TimeUnit.MILLISECONDS);
          }
        }
        return;
      }
    }
  }

  // ---- every node's side (mastership thread)

  /** A key under {@link #prefix} changed; {@code value} null when it was deleted. */
  void apply(String dpidText, String value) {
    long dpid = Dpid.parse(dpidText);
    if (value == null) {
      entries.remove(dpid);
      return;
    }
    String[] parts = value.trim().split(" ");
    try {
      entries.put(dpid, new Entry(Long.parseLong(parts[0]), Long.parseLong(parts[1])));
    } catch (RuntimeException e) {
      LOG.warn("cluster: ignoring malformed installed version {} = {}", dpidText, value);
    }
  }

  /** After the keys of a watch response were applied: tell the waits what they now know. */
  void heard(long dpid) {
    long v = installedVersion(dpid);
    if (v > 0) {
      heard.installed(dpid, v);
    }
  }

  /** Forgets everything (before a full reread of cluster/). */
  void clear() {
    entries.clear();
  }

  /**
   * The version another node, the switch's master, says the switch holds; -1 when no other
   * node is its master (then this node knows best), 0 when its master has not published yet.
   */
  @Override
  public long installedVersion(long dpid) {
    Mastership.Holder h = mastership.holder(dpid);
    if (h == null || h.node().equals(mastership.nodeId())) {
      return -1;
    }
    Entry e = entries.get(dpid);
    return e != null && e.generation() == h.generation() ? e.version() : 0;
  }

  @Override
  public void close() {
    closed = true;
    thread.shutdownNow();
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
