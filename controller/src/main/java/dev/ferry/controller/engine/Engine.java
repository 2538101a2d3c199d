package dev.ferry.controller.engine;

import dev.ferry.apps.compile.CompileMemo;
import dev.ferry.apps.compile.HostCompiler;
import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Port;
import dev.ferry.controller.PortStatus;
import dev.ferry.controller.RuntimeView;
import dev.ferry.controller.store.ModelEvent;
import dev.ferry.controller.store.Store;
import dev.ferry.southbound.SwitchHandle;
import dev.ferry.southbound.SwitchListener;
import dev.ferry.southbound.SwitchRegistry;
import dev.ferry.southbound.flow.DesiredState;
import com.google.common.util.concurrent.MoreExecutors;
import dev.ferry.southbound.flow.FlowReconciler;
import dev.ferry.southbound.flow.ReconcileResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFPortState;

/**
 * Ties the model to the switches: every committed model change and every switch event becomes
 * a reconcile of exactly the switches it affects, and every reconcile is "compile the host's
 * whole desired state, diff against what the switch holds, send the difference". One code
 * path serves first connect, reconnect, controller restart and model change.
 *
 * <p>Threads and owners (docs/architecture.md draws them): the engine thread
 * ({@code ferry-engine}) owns {@link #model}, the order of model events and the uplink side
 * effects; each switch's {@link SwitchWorker} owns that switch's reconcile queue and installed
 * state, running on the shared {@code ferry-reconcile} pool one task at a time per switch;
 * the Netty event loops only hand switch events over.
 */
public final class Engine implements SwitchListener, RuntimeView, AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(Engine.class);

  private final Store store;
  private final SwitchRegistry switches;
  private final FlowReconciler reconciler;
  private final BindingTable bindings = new BindingTable();
  /** Model events in commit order, uplink side effects, audits' scheduling. */
  private final ExecutorService engineThread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "ferry-engine");
    t.setDaemon(true);
    return t;
  });
  /** Runs the switch workers: compile, diff, send; one task at a time per switch. */
  private final ExecutorService reconcilePool;
  /**
   * Runs the diff of full reconciles once their read-back arrived: pure, owns nothing. Apart
   * from the workers' pool so that a connect storm pipelines (switch 1 is diffed and sent
   * while switch 100 is still compiled) instead of queueing every diff behind every compile
   * and then flooding all switches at once.
   */
  private final ExecutorService diffPool = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "ferry-diff");
    t.setDaemon(true);
    return t;
  });
  private final Map<Long, SwitchWorker> workers = new ConcurrentHashMap<>();
  /** How many full reconciles may run at once (a connect storm queues the rest). */
  private volatile FullReconcileAdmission fullReconciles = FullReconcileAdmission.fromSystemProperty();
  private final VersionWaits waits = new VersionWaits();
  private final EngineCounters counters = new EngineCounters();
  /** Every switch is read back once per this interval, one switch at a time. */
  public static final Duration DEFAULT_AUDIT_INTERVAL = Duration.ofMinutes(5);
  private final AtomicLong auditCursor = new AtomicLong();
  private final Duration auditInterval;
  private final ScheduledExecutorService auditor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "ferry-audit");
    t.setDaemon(true);
    return t;
  });
  private final Queue<ModelEvent> pendingEvents = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final PacketInService packetIns = new PacketInService();
  private final UplinkService uplinks;
  /** Written by the engine thread only; read by workers (compile) and packet-ins. */
  private volatile Model model = Model.EMPTY;
  /** Notified (by the engine thread) whenever {@link #model} advances: {@link #modelAtLeast} waits on it. */
  private final Object modelAdvanced = new Object();
  /** The newest model version the engine handed to the workers (engine thread writes). */
  private volatile long processedVersion;
  /** Bumped by every switch or model change; a cached bindings view of an older one is stale. */
  private final AtomicLong changes = new AtomicLong();
  /** Told when a switch comes to hold a newer model version (the web view's event stream). */
  private final List<Runnable> installedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile CachedBindings bindingsView;
  /** Which switches this engine may write to: all of them, unless a cluster says otherwise. */
  private volatile java.util.function.LongPredicate mayWrite = dpid -> true;
  /** What a cluster's other nodes say their switches hold (standalone: nothing). */
  private volatile Elsewhere elsewhere = Elsewhere.NONE;
  /** Told whenever a switch this engine writes to holds a newer version (a cluster publishes it). */
  private volatile VersionListener installedListener = (dpid, version) -> { };

  /** What the other nodes of a cluster know of the switches they master. */
  public interface Elsewhere {
    Elsewhere NONE = dpid -> -1;

    /**
     * The model version the switch holds as its master on another node published it; -1 when
     * no other node masters it (this engine knows best), 0 when the master has not told yet.
     */
    long installedVersion(long dpid);
  }

  /** A switch holds a model version. */
  public interface VersionListener {
    void installed(long dpid, long version);
  }

  private record CachedBindings(long version, Bindings bindings) {}

  public Engine(Store store, SwitchRegistry switches) {
    this(store, switches, DEFAULT_AUDIT_INTERVAL);
  }

  /** @param auditInterval how often every switch is read back and corrected (hand edits) */
  public Engine(Store store, SwitchRegistry switches, Duration auditInterval) {
    this.auditInterval = auditInterval;
    this.store = store;
    this.switches = switches;
    AtomicLong n = new AtomicLong();
    // One thread per core: compiles are CPU-bound, and the event loops (keepalive, barrier
    // replies) need their share of a small machine.
    this.reconcilePool = Executors.newFixedThreadPool(
        Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
          Thread t = new Thread(r, "ferry-reconcile-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    // A full reconcile's diff runs on the pool once the read-back arrived (never on the event
    // loop). -Dferry.bundle-threshold=N changes when a reconcile becomes one bundle
    // (2147483647: never), for switches or benchmarks that need it.
    this.reconciler = new FlowReconciler(FlowReconciler.DEFAULT_CHUNK_SIZE,
        FlowReconciler.DEFAULT_WINDOW, id -> true, id -> true, diffPool,
        Integer.getInteger("ferry.bundle-threshold", FlowReconciler.DEFAULT_BUNDLE_THRESHOLD));
    this.uplinks = new UplinkService(this::reconcileHost, store);
  }

  /** The DHCP lease time handed out (default DhcpResponder.LEASE_SECONDS); call before start. */
  public Engine withDhcpLease(Duration lease) {
    packetIns.dhcpLeaseSeconds(Math.toIntExact(lease.toSeconds()));
    return this;
  }

  /** Subscribes to the store; switches that connect from now on are reconciled. */
  public Engine start() {
    model = store.snapshot();
    processedVersion = model.version();
    store.subscribe(this::modelChanged);
    auditor.schedule(this::auditNext, auditInterval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * In a cluster, the engine reconciles and answers packet-ins only for the switches this node
   * masters (the others are fenced by the cluster too).
   */
  public Engine writeOnlyTo(java.util.function.LongPredicate masters) {
    mayWrite = masters;
    return this;
  }

  /**
   * In a cluster: waits for switches another node masters end when that node says they hold
   * the version ({@link #heardFromElsewhere}); what this engine installs goes to {@code installed}.
   */
  public Engine withElsewhere(Elsewhere elsewhere, VersionListener installed) {
    this.elsewhere = elsewhere;
    this.installedListener = installed;
    return this;
  }

  /** Another node, master of this switch, says the switch holds {@code version} (any thread). */
  public void heardFromElsewhere(long dpid, long version) {
    if (!mayWrite.test(dpid)) {
      waits.holds(dpid, version);
    }
  }

  /** The version a switch holds as far as this node knows, or -1 when it should ask its own worker. */
  private long heldElsewhere(long dpid) {
    return mayWrite.test(dpid) ? -1 : elsewhere.installedVersion(dpid);
  }

  /** A full reconcile (read back and diff) of one switch: on becoming its master. */
  public CompletableFuture<Void> reconcileFully(long dpid) {
    return worker(dpid).request(true);
  }

  /** The switch as its worker sees it: absent while this node may not write to it (a cluster's non-master). */
  private Optional<SwitchHandle> writableSwitch(long dpid) {
    return mayWrite.test(dpid) ? switches.get(dpid) : Optional.empty();
  }

  public Model model() {
    return model;
  }

  /**
   * The engine's model once it contains every change up to {@code version} (a store snapshot's
   * {@link Model#version()}), so that a view built on what the switches are compiled from still
   * reads the caller's own writes; after {@code timeout}, the newest model there is.
   */
  public Model modelAtLeast(long version, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (modelAdvanced) {
      for (long left; model.version() < version && (left = deadline - System.nanoTime()) > 0; ) {
        TimeUnit.NANOSECONDS.timedWait(modelAdvanced, left);
      }
    }
    return model;
  }

  /** Switches whose installed state or compile memo the engine keeps in memory. */
  /**
   * At most {@code n} full reconciles at once (default {@code -Dferry.max-full-reconciles}, else
   * two per core); call before switches connect.
   */
  public Engine withMaxFullReconciles(int n) {
    fullReconciles = new FullReconcileAdmission(n);
    return this;
  }

  /** Full reconciles in their compile, read-back or diff now. */
  public int fullReconcilesRunning() {
    return fullReconciles.running();
  }

  /** Full reconciles waiting for admission (a connect storm's queue). */
  public int fullReconcilesWaiting() {
    return fullReconciles.waiting();
  }

  public int maxFullReconciles() {
    return fullReconciles.limit();
  }

  public int switchStatesKept() {
    return (int) workers.values().stream().filter(SwitchWorker::keepsState).count();
  }

  public EngineCounters counters() {
    return counters;
  }

  /** The switch of a registered host, if it is connected. */
  public Optional<SwitchHandle> switchOf(String hostName) {
    Host h = model.hosts().get(hostName);
    return h == null ? Optional.empty() : switches.get(h.datapathId());
  }

  // ---- model events (store dispatch thread, commit order; then the engine thread) ----

  private void modelChanged(ModelEvent event) {
    pendingEvents.add(event);
    if (drainScheduled.compareAndSet(false, true)) {
      engineThread.execute(this::drainModelEvents);
    }
  }

  /**
   * Takes every model event that arrived since the last drain and asks the switches they
   * affect for a run, against one fresh snapshot; tells every other switch that the new
   * version does not concern it. A burst of REST writes (a provisioning script, a tenant's
   * teardown) therefore costs one snapshot and one reconcile request per switch, not one per
   * write.
   */
  private void drainModelEvents() {
    drainScheduled.set(false);
    List<ModelEvent> batch = new ArrayList<>();
    for (ModelEvent e; (e = pendingEvents.poll()) != null; ) {
      batch.add(e);
    }
    if (batch.isEmpty()) {
      return;
    }
    Model before = model;
    Model after = store.snapshot();
    model = after;
    synchronized (modelAdvanced) {
      modelAdvanced.notifyAll();
    }
    changes.incrementAndGet();
    long version = 0;
    Set<String> hosts = AffectedHosts.of(before, after, batch);
    for (ModelEvent e : batch) {
      version = Math.max(version, e.version());
    }
    Set<Long> dpids = new HashSet<>();
    for (String host : hosts) {
      dpidOf(before, host).ifPresent(dpids::add);
      dpidOf(after, host).ifPresent(dpids::add);
    }
    for (long dpid : dpids) {
      SwitchWorker w = worker(dpid);
      w.requestedVersion(version);
      w.request(false);
    }
    for (SwitchWorker w : workers.values()) {
      if (!dpids.contains(w.dpid())) {
        w.advance(version);
      }
    }
    processedVersion = Math.max(processedVersion, version);
    waits.processed(version, this::pendingAt);
    Supplier<Bindings> b = com.google.common.base.Suppliers.memoize(this::bindings);
    for (String host : hosts) {
      uplinkSideEffects(after, b, host);
    }
  }

  /**
   * Uplink ARP for an unknown next hop, gratuitous ARP for floating IPs that appeared: the
   * reaction to a model or binding change of a host (engine thread; packets, not flows).
   */
  private void uplinkSideEffects(Model m, Supplier<Bindings> b, String host) {
    Host h = m.hosts().get(host);
    if (h == null || h.uplink() == null) {
      return; // most hosts: nothing to send, and no bindings view to build
    }
    Optional<SwitchHandle> sw = switches.get(h.datapathId());
    if (sw.isPresent()) {
      uplinks.reactToChange(sw.get(), host, m, b.get());
    }
  }

  private void uplinkSideEffects(long dpid) {
    engineThread.execute(() -> model.hostByDatapathId(dpid)
        .ifPresent(h -> uplinkSideEffects(model, this::bindings, h.name())));
  }

  private SwitchWorker worker(long dpid) {
    return workers.computeIfAbsent(dpid, d -> new SwitchWorker(d,
        MoreExecutors.newSequentialExecutor(reconcilePool), this::writableSwitch, this::compile,
        reconciler, fullReconciles, new SwitchWorker.Observer() {
          @Override
          public void reconciled(SwitchHandle sw, ReconcileResult result, Throwable err) {
            Engine.this.reconciled(sw, result, err);
          }

          @Override
          public void holds(long dpid, long version) {
            waits.holds(dpid, version);
            installedListener.installed(dpid, version);
            installedListeners.forEach(Runnable::run);
          }

          @Override
          public void advanced(long dpid, long version) {
            // Not told to the cluster: another node waits only for switches a change concerns.
            waits.holds(dpid, version);
            installedListeners.forEach(Runnable::run);
          }
        }));
  }

  /**
   * Switches asked to reach {@code version} or later that do not hold it yet: connected ones
   * this node writes to, and (in a cluster) those another node masters, by what it published.
   */
  private Set<Long> pendingAt(long version) {
    Set<Long> out = new HashSet<>();
    for (SwitchWorker w : workers.values()) {
      if (w.requestedVersion() < version) {
        continue;
      }
      long remote = heldElsewhere(w.dpid());
      if (remote >= 0 ? remote < version
          : w.installedVersion() < version && switches.get(w.dpid()).isPresent()) {
        out.add(w.dpid());
      }
    }
    return out;
  }

  /** Switches that do not hold {@code version} (a wait the engine has not reached). */
  private Set<Long> notHolding(long version) {
    Set<Long> out = new HashSet<>();
    for (SwitchHandle sw : switches.all()) {
      SwitchWorker w = workers.get(sw.datapathId());
      long remote = heldElsewhere(sw.datapathId());
      if (remote >= 0 ? remote < version : w == null || w.installedVersion() < version) {
        out.add(sw.datapathId());
      }
    }
    for (SwitchWorker w : workers.values()) {
      long remote = heldElsewhere(w.dpid());
      if (remote >= 0 && remote < version && w.requestedVersion() >= version) {
        out.add(w.dpid());
      }
    }
    return out;
  }

  /**
   * Waits until every connected switch that model version {@code version} concerns holds it
   * (its flows installed and confirmed by barriers). Returns the switches that did not confirm
   * within the timeout; empty when all did.
   */
  public Set<Long> awaitSwitches(long version, Duration timeout) throws InterruptedException {
    VersionWaits.Wait w = waits.add(version, this::pendingAt);
    try {
      w.done().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return Set.of();
    } catch (java.util.concurrent.TimeoutException e) {
      return w.unconfirmed(this::notHolding);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      w.close();
    }
  }

  /** Runs the listener (on a reconcile thread: it must return at once) when a switch holds a newer version. */
  public void onInstalled(Runnable listener) {
    installedListeners.add(listener);
  }

  /** The model version this switch holds (0 until its first reconcile on this connection). */
  public long installedVersion(long dpid) {
    SwitchWorker w = workers.get(dpid);
    return w == null ? 0 : w.installedVersion();
  }

  /** How many flows the switch's last confirmed reconcile left on it; empty before the first. */
  public java.util.OptionalInt installedFlows(long dpid) {
    SwitchWorker w = workers.get(dpid);
    int n = w == null ? -1 : w.installedFlows();
    return n < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(n);
  }

  /** The newest model version the engine has handed to the switch workers. */
  public long processedVersion() {
    return processedVersion;
  }

  /** The current bindings, named by host; rebuilt only after something changed. */
  private Bindings bindings() {
    long version = changes.get();
    CachedBindings cached = bindingsView;
    if (cached == null || cached.version() != version) {
      cached = new CachedBindings(version, bindings.snapshot(model));
      bindingsView = cached;
    }
    return cached.bindings();
  }

  private static Optional<Long> dpidOf(Model m, String host) {
    return Optional.ofNullable(m.hosts().get(host)).map(Host::datapathId);
  }

  /** Reconciles one switch now (also used by tests and benchmarks to wait for convergence). */
  public CompletableFuture<Void> reconcileNow(long dpid) {
    return worker(dpid).request(false);
  }

  /**
   * Reads back the next switch in turn, then waits interval / switches before the one after.
   * Pacing keeps the audit a steady trickle: auditing a thousand switches at once would queue
   * a thousand full compiles ahead of the model changes users are waiting for.
   */
  private void auditNext() {
    try {
      List<SwitchHandle> all = new ArrayList<>(switches.all());
      if (!all.isEmpty()) {
        all.sort(Comparator.comparingLong(SwitchHandle::datapathId));
        SwitchHandle next = all.get((int) (auditCursor.getAndIncrement() % all.size()));
        uplinkSideEffects(next.datapathId()); // e.g. retries an unanswered next-hop ARP
        worker(next.datapathId()).request(true).join();
      }
    } catch (RuntimeException e) {
      LOG.debug("audit: {}", e.toString());
    } finally {
      long pause = auditInterval.toMillis() / Math.max(1, switches.size());
      if (!auditor.isShutdown()) {
        auditor.schedule(this::auditNext, Math.max(1, pause), TimeUnit.MILLISECONDS);
      }
    }
  }

  // ---- switch events (Netty event loop: hand work off quickly) ----

  @Override
  public void switchReady(SwitchHandle sw) {
    sw.send(AsyncConfig.of(sw.factory()));
    bindings.connected(sw.datapathId(), portNumbers(sw.ports()));
    changes.incrementAndGet();
    if (model.hostByDatapathId(sw.datapathId()).isEmpty()) {
      LOG.warn("[{}] connected but no host has this datapath id; register it with POST /v1/hosts",
          sw.dpidString());
    }
    engineThread.execute(() -> model.hostByDatapathId(sw.datapathId())
        .ifPresent(h -> uplinks.switchConnected(h.name())));
    uplinkSideEffects(sw.datapathId());
    worker(sw.datapathId()).connected();
  }

  @Override
  public void switchDisconnected(SwitchHandle sw) {
    if (switches.get(sw.datapathId()).isEmpty()) {
      Optional.ofNullable(workers.get(sw.datapathId())).ifPresent(SwitchWorker::disconnected);
      bindings.disconnected(sw.datapathId());
      changes.incrementAndGet();
      waits.gone(sw.datapathId());
    }
  }

  @Override
  public void portChanged(SwitchHandle sw, OFPortDesc port, OFPortReason reason) {
    boolean changed = reason == OFPortReason.DELETE
        ? bindings.portDown(sw.datapathId(), port.getName())
        : bindings.portUp(sw.datapathId(), port.getName(), port.getPortNo().getPortNumber());
    if (changed) {
      changes.incrementAndGet();
      LOG.info("[{}] port {} ({}) {}", sw.dpidString(), port.getName(),
          port.getPortNo().getPortNumber(), reason == OFPortReason.DELETE ? "gone" : "up");
      uplinkSideEffects(sw.datapathId());
      worker(sw.datapathId()).request(false);
    }
  }

  @Override
  public void packetIn(SwitchHandle sw, OFPacketIn packetIn) {
    if (!mayWrite.test(sw.datapathId())) {
      return;
    }
    Model m = model;
    Bindings b = bindings();
    Optional<Host> host = m.hostByDatapathId(sw.datapathId());
    var inPort = packetIn.getMatch().get(org.projectfloodlight.openflow.protocol.match.MatchField.IN_PORT);
    if (host.isPresent() && inPort != null
        && uplinks.handle(sw, host.get().name(), inPort.getPortNumber(), packetIn.getData(), m, b)) {
      return;
    }
    packetIns.handle(sw, packetIn, m, b);
  }

  private void reconcileHost(String host) {
    dpidOf(model, host).ifPresent(dpid -> worker(dpid).request(false));
  }

  /** Packet-ins by kind and tenant, packet-outs: read by metrics. */
  public PacketInCounters packetInCounters() {
    return packetIns.counters();
  }

  private static Map<String, Integer> portNumbers(Map<Integer, OFPortDesc> ports) {
    return ports.values().stream().collect(Collectors.toMap(
        OFPortDesc::getName, p -> p.getPortNo().getPortNumber(), (a, b) -> a));
  }

  // ---- reconcile (on the switch's worker) ----

  /** The desired state of one switch against the current snapshot, with its version. */
  private SwitchWorker.Compiled compile(long dpid, CompileMemo memo) {
    Model m = model;
    DesiredState desired = m.hostByDatapathId(dpid)
        .map(h -> HostCompiler.compile(m, bindings(), uplinks.nextHops(), h.name(), memo))
        .orElse(DesiredState.EMPTY);
    return new SwitchWorker.Compiled(desired, m.version());
  }

  /** The bindings switches report right now (for read views: trace, named flow dumps). */
  public Bindings currentBindings() {
    return bindings();
  }

  /** The desired state of one switch: its host's compile, or nothing for an unknown switch. */
  public DesiredState desiredState(long dpid) {
    return compile(dpid, CompileMemo.NONE).desired(); // the reference compile, no memo
  }

  /** What reconciles did to one switch since it last connected (empty before the first). */
  public Optional<SwitchReconciles> reconciles(long dpid) {
    return Optional.ofNullable(workers.get(dpid)).map(SwitchWorker::reconciles);
  }

  private void reconciled(SwitchHandle sw, ReconcileResult result, Throwable err) {
    if (err != null) {
      counters.reconcileFailed();
      LOG.warn("[{}] reconcile failed: {}", sw.dpidString(), err.toString());
      return;
    }
    counters.reconciled(result);
    if (!result.changedNothing()) {
      LOG.info("[{}] reconciled: +{} ~{} -{} flows, {} groups, {} meters in {} ms", sw.dpidString(),
          result.flowsAdded(), result.flowsModified(), result.flowsDeleted(),
          result.groupsChanged(), result.metersChanged(), result.duration().toMillis());
    }
  }

  // ---- RuntimeView ----

  @Override
  public boolean hostConnected(Host host) {
    return switches.get(host.datapathId()).isPresent();
  }

  @Override
  public PortStatus portStatus(Port port) {
    if (port.host() == null || port.interfaceName() == null) {
      return PortStatus.UNBOUND;
    }
    Optional<SwitchHandle> sw = switchOf(port.host());
    Integer ofPort = sw.map(s -> bindings.ofPort(s.datapathId(), port.interfaceName())).orElse(null);
    if (ofPort == null) {
      return PortStatus.UNBOUND;
    }
    OFPortDesc desc = sw.get().ports().get(ofPort);
    return desc != null && isDown(desc) ? PortStatus.down(port.host()) : PortStatus.bound(port.host(), ofPort);
  }

  private static boolean isDown(OFPortDesc desc) {
    return desc.getState().contains(OFPortState.LINK_DOWN)
        || desc.getConfig().contains(OFPortConfig.PORT_DOWN);
  }

  @Override
  public void close() {
    auditor.shutdownNow();
    engineThread.shutdownNow();
    reconcilePool.shutdownNow();
    diffPool.shutdownNow();
    try {
      engineThread.awaitTermination(2, TimeUnit.SECONDS);
      reconcilePool.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
