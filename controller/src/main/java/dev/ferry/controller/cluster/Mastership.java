package dev.ferry.controller.cluster;

import dev.ferry.southbound.Dpid;
import dev.ferry.southbound.SwitchHandle;
import dev.ferry.southbound.SwitchListener;
import dev.ferry.southbound.SwitchRegistry;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.types.U64;

/**
 * Per-switch mastership of a Ferry cluster, elected through etcd. Every node of the cluster is
 * connected to every switch; for each switch one node holds the key
 * {@code /<prefix>/cluster/masters/<dpid>} under its lease and is the switch's master. It sends
 * ROLE_REQUEST MASTER with that key's create revision as generation id (so the switch itself
 * refuses a deposed master, whose generation is older), and only then unfences the switch and
 * asks the engine for a full reconcile. Every other node sends SLAVE with the same generation
 * and keeps the switch fenced: nothing that changes the switch's state goes out from it.
 *
 * <p>Balance: a free switch is claimed first by the node that rendezvous hashing prefers among
 * the live nodes; any node connected to it claims it when it stays free longer than
 * {@link #CLAIM_GRACE} (the preferred node may not reach that switch). Then {@link Rebalance}
 * evens the load (a node that joins takes its share): a node that masters two switches fewer
 * than another asks for one of its switches it reaches, by {@code cluster/wants/<dpid>} under
 * its lease; the master hands over gracefully (fences the switch, then deletes its master key),
 * and the asker claims it first and sends ROLE_REQUEST MASTER with the new, higher generation.
 *
 * <p>Safety: the lease is renewed by this class every {@code ttl/4}; a node whose last renewal
 * was <em>sent</em> more than {@code ttl/2} ago fences all its switches, well before etcd (which
 * counts from when it received that renewal) can let the lease expire and another node claim.
 *
 * <p>Threads: the cluster's keys, claims and role requests belong to "ferry-mastership"
 * (every etcd call it makes is bounded by one TTL). Renewing the lease and fencing on a stale
 * one run on "ferry-lease", so a busy mastership thread can neither starve the lease nor delay a
 * step-down; {@code fenceLock} orders "fence everything in {@code confirmed}" against "add to
 * {@code confirmed} and unfence". {@link #isMaster} reads the concurrent {@code confirmed} set.
 * Switch events arrive on Netty threads and are handed over (the fence on connect is set right
 * there, before any other listener runs).
 */
public final class Mastership implements SwitchListener, AutoCloseable {

  private static final Logger LOG = LogManager.getLogger(Mastership.class);
  static final Duration CLAIM_GRACE = Duration.ofMillis(1000);

  /** Who holds a switch: the node and the master key's create revision (the generation id). */
  public record Holder(String node, long generation) {}

  private final Client etcd;
  private final String nodesPrefix;
  private final String mastersPrefix;
  private final String wantsPrefix;
  private final InstalledVersions installed;
  private final String nodeId;
  private final String nodeInfo;
  private final SwitchRegistry switches;
  private final LongConsumer becameMaster;
  private final Duration ttl;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "ferry-mastership");
    t.setDaemon(true);
    return t;
  });

  // Owned by the mastership thread.
  private final Map<String, String> nodes = new TreeMap<>();
  private final Map<Long, Holder> masters = new HashMap<>();
  private final Map<Long, Long> freeSince = new HashMap<>();
  private final Map<Long, Long> roleSent = new HashMap<>();
  /** Who asks for which switch (cluster/wants/). */
  private final Map<Long, String> wants = new HashMap<>();
  /** The switch this node asks for, at most one at a time (each move changes the loads). */
  private Long asking;
  private final AtomicLong handedOver = new AtomicLong();
  /** Renewal bookkeeping, kept by the lease thread so a busy mastership thread cannot starve it. */
  private final AtomicLong lastRenewSentNanos = new AtomicLong();
  private volatile long lease;
  /** Held while deciding to unfence, and while fencing on a stale lease: the two never interleave. */
  private final Object fenceLock = new Object();
  private volatile boolean healthy;
  private final ScheduledExecutorService leaseThread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "ferry-lease");
    t.setDaemon(true);
    return t;
  });
  private Watch.Watcher watcher;
  private long watchedRevision;
  private boolean joining;

  /** Switches whose MASTER role the switch confirmed and that are unfenced: read by the engine. */
  private final Set<Long> confirmed = ConcurrentHashMap.newKeySet();
  private final AtomicLong gained = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();
  private volatile boolean closed;

  /**
   * @param root the store's key root ({@code /ferry/})
   * @param nodeInfo what other nodes and operators see of this node (its REST address)
   * @param becameMaster called (on the mastership thread) when a switch confirmed us as master
   */
  public Mastership(Client etcd, String root, String nodeId, String nodeInfo, SwitchRegistry switches,
      LongConsumer becameMaster, Duration ttl) {
    this.etcd = etcd;
    this.nodesPrefix = root + "cluster/nodes/";
    this.mastersPrefix = root + "cluster/masters/";
    this.wantsPrefix = root + "cluster/wants/";
    this.installed = new InstalledVersions(etcd, root + "cluster/installed/", this, ttl);
    this.nodeId = nodeId;
    this.nodeInfo = nodeInfo;
    this.switches = switches;
    this.becameMaster = becameMaster;
    this.ttl = ttl;
  }

  /** Registers this node under a fresh lease and starts following the cluster. */
  public Mastership start() {
    try {
      thread.submit(this::join).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot join the cluster: " + e.getMessage(), e);
    }
    long tick = Math.max(50, ttl.toMillis() / 4);
    leaseThread.scheduleWithFixedDelay(this::leaseTick, tick, tick, TimeUnit.MILLISECONDS);
    thread.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    return this;
  }

  public String nodeId() {
    return nodeId;
  }

  /** The switches' installed versions, published by their masters (for ?wait=switches on any node). */
  public InstalledVersions installedVersions() {
    return installed;
  }

  /** The lease this node's keys live under (changes when the node rejoins). */
  long lease() {
    return lease;
  }

  /** Who holds a switch, as the mastership thread last knew; null when nobody does. Any thread. */
  public Holder holder(long dpid) {
    return published.byDpid().get(dpid);
  }

  /** Whether this node is the confirmed master of a switch (the engine writes only then). */
  public boolean isMaster(long dpid) {
    return confirmed.contains(dpid);
  }

  public long mastershipsGained() {
    return gained.get();
  }

  public long mastershipsLost() {
    return lost.get();
  }

  /** Switches this node handed to a less loaded node (graceful moves, counted in lost too). */
  public long mastershipsHandedOver() {
    return handedOver.get();
  }

  /** A consistent view for GET /v1/cluster: nodes (id -> info), masters by dpid (16 hex digits, as REST names switches), our lease health. */
  public record View(String self, Map<String, String> nodes, Map<String, Holder> masters, boolean leaseHealthy,
      long watchedRevision, List<String> confirmed) {}

  /** Never waits for the mastership thread (which may be waiting for etcd). */
  public View view() {
    List<String> mine = confirmed.stream().sorted().map(d -> String.format("%016x", d)).toList();
    Published p = published;
    return new View(nodeId, p.nodes(), p.masters(), healthy, p.revision(), mine);
  }

  /** What the mastership thread last knew of the cluster's keys, for readers on other threads. */
  private record Published(Map<String, String> nodes, Map<String, Holder> masters, long revision,
      Map<Long, Holder> byDpid) {}

  private volatile Published published = new Published(Map.of(), Map.of(), 0, Map.of());

  private void publish() {
    Map<String, Holder> m = new TreeMap<>();
    masters.forEach((dpid, h) -> m.put(String.format("%016x", dpid), h));
    published = new Published(Map.copyOf(nodes), java.util.Collections.unmodifiableMap(m), watchedRevision,
        Map.copyOf(masters));
  }

  // ---- lease and registration (mastership thread)

  /** A fresh lease and this node's key under it; then the cluster's keys. */
  private void join() {
    long sent = System.nanoTime();
    lease = await(etcd.getLeaseClient().grant(Math.max(1, ttl.toSeconds()))).getID();
    lastRenewSentNanos.set(sent);
    await(etcd.getKVClient().put(bytes(nodesPrefix + nodeId), bytes(nodeInfo),
        PutOption.builder().withLeaseId(lease).build()));
    healthy = true;
    LOG.info("cluster: node {} joined with lease {} ({} s)", nodeId, Long.toHexString(lease), ttl.toSeconds());
    resync();
  }

  /**
   * Reads every key of cluster/ and watches from there. Also what a failed watch comes back to:
   * the lease (and so every master key we hold) is untouched by it.
   */
  private void resync() {
    GetResponse all = await(etcd.getKVClient().get(bytes(rootOf(nodesPrefix)),
        GetOption.builder().isPrefix(true).build()));
    nodes.clear();
    masters.clear();
    wants.clear();
    installed.clear();
    for (KeyValue kv : all.getKvs()) {
      applyKey(str(kv.getKey()), kv, true);
    }
    watchedRevision = all.getHeader().getRevision();
    if (watcher != null) {
      watcher.close();
    }
    watcher = etcd.getWatchClient().watch(bytes(rootOf(nodesPrefix)),
        WatchOption.builder().isPrefix(true).withRevision(watchedRevision + 1).build(),
        Watch.listener(r -> thread.execute(() -> onWatch(r)), e -> thread.execute(this::resyncLater)));
    LOG.info("cluster: following from revision {}; nodes {}", watchedRevision, nodes.keySet());
    publish();
    masters.keySet().forEach(installed::heard);
    evaluateAll();
  }

  private void resyncLater() {
    if (closed) {
      return;
    }
    LOG.warn("cluster: watch failed; resynchronising (the lease decides who may write, not the watch)");
    thread.schedule(this::tryResync, 200, TimeUnit.MILLISECONDS);
  }

  private void tryResync() {
    if (closed) {
      return;
    }
    try {
      resync();
    } catch (RuntimeException e) {
      LOG.warn("cluster: cannot resynchronise yet ({})", e.toString());
      thread.schedule(this::tryResync, 500, TimeUnit.MILLISECONDS);
    }
  }

  private void tryJoin() {
    if (closed) {
      return;
    }
    try {
      join();
      joining = false;
    } catch (RuntimeException e) {
      LOG.warn("cluster: cannot rejoin yet ({})", e.toString());
      thread.schedule(this::tryJoin, 500, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * On the lease thread: renews the lease, and fences every switch when the last renewal that
   * got through was sent more than ttl/2 ago (etcd counts the lease from when it received it,
   * so it cannot have expired yet).
   */
  private void leaseTick() {
    if (closed) {
      return;
    }
    long sent = System.nanoTime();
    etcd.getLeaseClient().keepAliveOnce(lease).orTimeout(ttl.toMillis() / 4, TimeUnit.MILLISECONDS)
        .whenComplete((r, e) -> {
          if (r != null && r.getTTL() > 0) {
            lastRenewSentNanos.accumulateAndGet(sent, Math::max);
            if (!healthy) {
              thread.execute(this::recovered);
            }
          } else if (e == null || leaseGone(e)) {
            thread.execute(this::leaseExpired);
          }
        });
    long quiet = System.nanoTime() - lastRenewSentNanos.get();
    if (quiet > ttl.toNanos() / 2) {
      boolean fenced = false;
      synchronized (fenceLock) {
        if (healthy) {
          healthy = false;
          for (Long dpid : Set.copyOf(confirmed)) {
            switches.get(dpid).ifPresent(sw -> sw.fence(true));
            confirmed.remove(dpid);
            lost.incrementAndGet();
          }
          fenced = true;
        }
      }
      if (fenced) {
        LOG.warn("cluster: lease not renewed for {} ms: stepped down (every switch fenced)", quiet / 1_000_000);
        thread.execute(() -> stepDown("lease not renewed"));
      }
    }
  }

  private boolean leaseFresh() {
    return System.nanoTime() - lastRenewSentNanos.get() < ttl.toNanos() / 2;
  }

  /** Mastership thread: re-evaluates every switch now and then (a free switch's grace, lost replies). */
  private void tick() {
    if (!closed && healthy) {
      evaluateAll();
      rebalance();
    }
  }

  private void recovered() {
    synchronized (fenceLock) {
      if (healthy || !leaseFresh()) {
        return;
      }
      healthy = true;
    }
    // Back within the lease: nothing was lost, our keys are still there.
    LOG.info("cluster: lease renewed again; re-evaluating switches");
    evaluateAll();
  }

  private void leaseExpired() {
    // The lease is gone: our keys went with it. Join again with a new one.
    stepDown("lease expired");
    if (!joining) {
      joining = true;
      tryJoin();
    }
  }

  private static boolean leaseGone(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof io.etcd.jetcd.lease.NoSuchLeaseException
          || String.valueOf(t.getMessage()).contains("lease not found")) {
        return true;
      }
    }
    return false;
  }

  /** Fences every switch this node masters (and stops claiming) until the lease is healthy again. */
  private void stepDown(String why) {
    synchronized (fenceLock) {
      healthy = false;
    }
    if (!confirmed.isEmpty()) {
      LOG.warn("cluster: stepping down from {} switch(es): {}", confirmed.size(), why);
    }
    for (Long dpid : Set.copyOf(confirmed)) {
      lose(dpid);
    }
    roleSent.clear(); // ask again once healthy
    asking = null; // the ask went, or goes, with the lease
  }

  private void lose(long dpid) {
    if (confirmed.remove(dpid)) {
      lost.incrementAndGet();
    }
    switches.get(dpid).ifPresent(sw -> sw.fence(true));
    roleSent.remove(dpid);
  }

  // ---- the cluster's keys (mastership thread)

  private void onWatch(WatchResponse r) {
    Set<Long> touched = new HashSet<>();
    Set<Long> heard = new HashSet<>();
    boolean nodesChanged = false;
    for (WatchEvent e : r.getEvents()) {
      String key = str(e.getKeyValue().getKey());
      boolean put = e.getEventType() == WatchEvent.EventType.PUT;
      nodesChanged |= key.startsWith(nodesPrefix);
      if (key.startsWith(installed.prefix())) {
        String dpid = key.substring(installed.prefix().length());
        installed.apply(dpid, put ? str(e.getKeyValue().getValue()) : null);
        heard.add(Dpid.parse(dpid));
      } else {
        Long dpid = applyKey(key, e.getKeyValue(), put);
        if (dpid != null) {
          touched.add(dpid);
          heard.add(dpid);
        }
      }
      watchedRevision = Math.max(watchedRevision, e.getKeyValue().getModRevision());
    }
    publish();
    heard.forEach(installed::heard); // after publish(): a new master's claim is visible first
    if (touched.isEmpty() && !nodesChanged) {
      return; // only installed versions
    }
    if (nodesChanged) {
      evaluateAll();
    } else {
      touched.forEach(this::evaluate);
    }
    rebalance();
  }

  /** Applies one key of cluster/; returns the dpid when it was a master key. */
  private Long applyKey(String key, KeyValue kv, boolean put) {
    if (key.startsWith(nodesPrefix)) {
      String id = key.substring(nodesPrefix.length());
      if (put) {
        nodes.put(id, str(kv.getValue()));
      } else {
        nodes.remove(id);
      }
      return null;
    }
    if (key.startsWith(installed.prefix())) {
      installed.apply(key.substring(installed.prefix().length()), put ? str(kv.getValue()) : null);
      return null;
    }
    if (key.startsWith(wantsPrefix)) {
      long dpid = Dpid.parse(key.substring(wantsPrefix.length()));
      if (put) {
        wants.put(dpid, str(kv.getValue()));
      } else {
        wants.remove(dpid);
      }
      return dpid;
    }
    if (key.startsWith(mastersPrefix)) {
      long dpid = Dpid.parse(key.substring(mastersPrefix.length()));
      if (put) {
        masters.put(dpid, new Holder(str(kv.getValue()), kv.getCreateRevision()));
      } else {
        masters.remove(dpid);
      }
      return dpid;
    }
    return null;
  }

  // ---- per switch (mastership thread)

  private void evaluateAll() {
    Set<Long> dpids = new HashSet<>(masters.keySet());
    switches.all().forEach(sw -> dpids.add(sw.datapathId()));
    dpids.addAll(confirmed);
    dpids.forEach(this::evaluate);
  }

  private void evaluate(long dpid) {
    if (closed) {
      return;
    }
    SwitchHandle sw = switches.get(dpid).orElse(null);
    Holder holder = masters.get(dpid);
    if (holder != null && !holder.node().equals(nodeId) && confirmed.contains(dpid)) {
      LOG.warn("[{}] {} holds it now; stepping down", Dpid.format(dpid), holder.node());
      lose(dpid);
    }
    if (sw == null) {
      freeSince.remove(dpid);
      if (holder != null && holder.node().equals(nodeId)) {
        release(dpid, holder);
      }
      return;
    }
    if (holder == null) {
      lose(dpid);
      long now = System.nanoTime();
      long since = freeSince.computeIfAbsent(dpid, k -> now);
      String asker = wants.get(dpid);
      boolean first = asker != null && nodes.containsKey(asker) ? asker.equals(nodeId) : nodeId.equals(preferred(dpid));
      if (healthy && (first || now - since > CLAIM_GRACE.toNanos())) {
        claim(sw);
      }
      return;
    }
    freeSince.remove(dpid);
    if (holder.node().equals(nodeId)) {
      String asker = wants.get(dpid);
      if (asker != null && !asker.equals(nodeId) && nodes.containsKey(asker)) {
        Map<String, Integer> load = Rebalance.load(nodes.keySet(), holders());
        if (Rebalance.handOver(load.getOrDefault(nodeId, 0), load.getOrDefault(asker, 0))) {
          if (confirmed.contains(dpid) || roleSent.containsKey(dpid)) {
            LOG.info("[{}] handing over to {} (it masters {} switch(es), we {})", Dpid.format(dpid), asker,
                load.get(asker), load.get(nodeId));
            handedOver.incrementAndGet();
          }
          lose(dpid); // fenced before the key goes: nothing from us once the asker can claim
          release(dpid, holder);
          return;
        }
      }
      if (healthy && !confirmed.contains(dpid)) {
        askRole(sw, OFControllerRole.ROLE_MASTER, holder);
      }
    } else {
      sw.fence(true);
      askRole(sw, OFControllerRole.ROLE_SLAVE, holder);
    }
  }

  private Map<Long, String> holders() {
    Map<Long, String> out = new HashMap<>();
    masters.forEach((dpid, h) -> out.put(dpid, h.node()));
    return out;
  }

  /**
   * Mastership thread: asks for a switch when {@link Rebalance} says so, and withdraws the ask
   * once it is ours or no longer justified. One ask at a time.
   */
  private void rebalance() {
    if (closed || !healthy) {
      return;
    }
    Map<String, Integer> load = Rebalance.load(nodes.keySet(), holders());
    if (asking != null) {
      long dpid = asking;
      Holder h = masters.get(dpid);
      boolean reachable = switches.get(dpid).isPresent();
      boolean justified = reachable && (h == null // handed over: we claim it next
          || !h.node().equals(nodeId) && Rebalance.handOver(load.getOrDefault(h.node(), 0), load.getOrDefault(nodeId, 0)));
      if (!justified) {
        withdraw(dpid);
      }
      return;
    }
    Set<Long> reachable = new HashSet<>();
    switches.all().forEach(sw -> reachable.add(sw.datapathId()));
    Long dpid = Rebalance.toAskFor(nodeId, load, holders(), reachable);
    if (dpid != null) {
      asking = dpid;
      LOG.info("[{}] asking {} for it (it masters {} switch(es), we {})", Dpid.format(dpid),
          masters.get(dpid).node(), load.get(masters.get(dpid).node()), load.get(nodeId));
      etcd.getKVClient().put(bytes(wantsPrefix + Dpid.format(dpid)), bytes(nodeId),
          PutOption.builder().withLeaseId(lease).build())
          .orTimeout(ttl.toMillis() / 2, TimeUnit.MILLISECONDS)
          .whenComplete((r, e) -> {
            if (e != null) {
              thread.execute(() -> {
                if (Long.valueOf(dpid).equals(asking)) {
                  asking = null; // ask again on the next tick
                }
              });
            }
          });
    }
  }

  private void withdraw(long dpid) {
    asking = null;
    ByteSequence key = bytes(wantsPrefix + Dpid.format(dpid));
    etcd.getKVClient().txn()
        .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(bytes(nodeId))))
        .Then(Op.delete(key, DeleteOption.DEFAULT))
        .commit();
  }

  /** The live node rendezvous hashing gives this switch to (so switches spread over nodes). */
  private String preferred(long dpid) {
    String best = null;
    long bestScore = Long.MIN_VALUE;
    for (String n : nodes.keySet()) {
      long score = mix(n.hashCode() * 0x9E3779B97F4A7C15L ^ dpid);
      if (best == null || score > bestScore) {
        best = n;
        bestScore = score;
      }
    }
    return best;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private void claim(SwitchHandle sw) {
    long dpid = sw.datapathId();
    ByteSequence key = bytes(mastersPrefix + Dpid.format(dpid));
    etcd.getKVClient().txn()
        .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
        .Then(Op.put(key, bytes(nodeId), PutOption.builder().withLeaseId(lease).build()))
        .commit()
        .orTimeout(ttl.toMillis() / 2, TimeUnit.MILLISECONDS)
        .whenComplete((TxnResponse r, Throwable e) -> thread.execute(() -> {
          if (e != null) {
            LOG.debug("[{}] claim failed: {}", Dpid.format(dpid), e.toString());
          } else if (r.isSucceeded()) {
            Holder h = new Holder(nodeId, r.getHeader().getRevision());
            masters.put(dpid, h);
            publish();
            LOG.info("[{}] claimed (generation {})", Dpid.format(dpid), h.generation());
            evaluate(dpid);
          }
        }));
  }

  private void release(long dpid, Holder holder) {
    ByteSequence key = bytes(mastersPrefix + Dpid.format(dpid));
    etcd.getKVClient().txn()
        .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(holder.generation())))
        .Then(Op.delete(key, DeleteOption.DEFAULT))
        .commit();
  }

  private void askRole(SwitchHandle sw, OFControllerRole role, Holder holder) {
    long dpid = sw.datapathId();
    long tag = holder.generation() * 2 + (role == OFControllerRole.ROLE_MASTER ? 1 : 0);
    Long sent = roleSent.get(dpid);
    if (sent != null && sent == tag) {
      return; // asked already for this generation and role
    }
    roleSent.put(dpid, tag);
    sw.requestRole(role, U64.of(holder.generation())).whenComplete((reply, err) -> thread.execute(() -> {
      if (err != null) {
        LOG.warn("[{}] role {} generation {} refused: {}", Dpid.format(dpid), role, holder.generation(),
            err.toString());
        roleSent.remove(dpid);
        return;
      }
      if (role == OFControllerRole.ROLE_MASTER) {
        Holder now = masters.get(dpid);
        boolean unfenced = false;
        synchronized (fenceLock) {
          // In the set before unfencing: the lease thread fences whatever the set holds.
          if (healthy && leaseFresh() && holder.equals(now) && switches.get(dpid).orElse(null) == sw) {
            unfenced = confirmed.add(dpid);
            sw.fence(false);
          }
        }
        if (unfenced) {
          {
            gained.incrementAndGet();
            LOG.info("[{}] master (generation {})", Dpid.format(dpid), holder.generation());
            becameMaster.accept(dpid);
          }
        }
      }
    }));
  }

  // ---- switch events (Netty event loop)

  @Override
  public void switchReady(SwitchHandle sw) {
    sw.fence(true); // before the engine hears of it: nothing goes out until we are master
    if (closed) {
      return;
    }
    thread.execute(() -> {
      roleSent.remove(sw.datapathId());
      confirmed.remove(sw.datapathId());
      evaluate(sw.datapathId());
    });
  }

  @Override
  public void switchDisconnected(SwitchHandle sw) {
    if (closed) {
      return;
    }
    thread.execute(() -> {
      if (switches.get(sw.datapathId()).isEmpty()) {
        if (confirmed.remove(sw.datapathId())) {
          lost.incrementAndGet();
        }
        roleSent.remove(sw.datapathId());
        evaluate(sw.datapathId());
      }
    });
  }

  // ---- plumbing

  /** Waits for an etcd call at most one lease TTL: this thread must never hang on etcd. */
  private <T> T await(java.util.concurrent.CompletableFuture<T> f) {
    try {
      return f.get(ttl.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      f.cancel(true);
      throw new IllegalStateException("etcd did not answer within " + ttl.toMillis() + " ms");
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("etcd: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String rootOf(String nodesPrefix) {
    return nodesPrefix.substring(0, nodesPrefix.length() - "nodes/".length());
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private static String str(ByteSequence b) {
    return b.toString(StandardCharsets.UTF_8);
  }

  /** Leaves the cluster: fences our switches and revokes the lease, so others take over now. */
  @Override
  public void close() {
    closed = true;
    installed.close();
    leaseThread.shutdownNow();
    try {
      thread.submit(() -> {
        for (Long dpid : Set.copyOf(confirmed)) {
          lose(dpid);
        }
        if (watcher != null) {
          watcher.close();
        }
        try {
          etcd.getLeaseClient().revoke(lease).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
          LOG.debug("cluster: revoke: {}", e.toString());
        }
      }).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("cluster: close: {}", e.toString());
    }
    thread.shutdownNow();
    leaseThread.shutdownNow();
  }
}
