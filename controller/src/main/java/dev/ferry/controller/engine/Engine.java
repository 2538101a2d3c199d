package dev.ferry.controller.engine;

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
 * whole desired state, diff against the switch, send the difference". One code path serves
 * first connect, reconnect, controller restart and model change.
 */
public final class Engine implements SwitchListener, RuntimeView, AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(Engine.class);

  private final Store store;
  private final SwitchRegistry switches;
  private final FlowReconciler reconciler;
  private final BindingTable bindings = new BindingTable();
  private final HostReconcileQueue queue = new HostReconcileQueue(this::reconcile);
  private final ExecutorService compiler = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "ferry-compile");
    t.setDaemon(true);
    return t;
  });
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
  private final Map<Long, SwitchReconciles> perSwitch = new ConcurrentHashMap<>();
  private final Queue<ModelEvent> pendingEvents = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final PacketInService packetIns = new PacketInService();
  private final UplinkService uplinks = new UplinkService(this::reconcileHost);
  private volatile Model model = Model.EMPTY;
  /** Bumped by every switch or model change; a cached bindings view of an older one is stale. */
  private final AtomicLong changes = new AtomicLong();
  private volatile CachedBindings bindingsView;
  /** Which switches this engine may write to: all of them, unless a cluster says otherwise. */
  private volatile java.util.function.LongPredicate mayWrite = dpid -> true;

  private record CachedBindings(long version, Bindings bindings) {}

  public Engine(Store store, SwitchRegistry switches, FlowReconciler reconciler) {
    this(store, switches, reconciler, DEFAULT_AUDIT_INTERVAL);
  }

  /** @param auditInterval how often every switch is read back and corrected (hand edits) */
  public Engine(Store store, SwitchRegistry switches, FlowReconciler reconciler, Duration auditInterval) {
    this.auditInterval = auditInterval;
    this.store = store;
    this.switches = switches;
    this.reconciler = reconciler;
  }

  /** Subscribes to the store; switches that connect from now on are reconciled. */
  public Engine start() {
    model = store.snapshot();
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

  /** A full reconcile (read back and diff) of one switch: on becoming its master. */
  public CompletableFuture<Void> reconcileFully(long dpid) {
    return queue.request(dpid, true);
  }

  public Model model() {
    return model;
  }

  public EngineCounters counters() {
    return counters;
  }

  /** The switch of a registered host, if it is connected. */
  public Optional<SwitchHandle> switchOf(String hostName) {
    Host h = model.hosts().get(hostName);
    return h == null ? Optional.empty() : switches.get(h.datapathId());
  }

  // ---- model events (store dispatch thread, commit order) ----

  private void modelChanged(ModelEvent event) {
    pendingEvents.add(event);
    if (drainScheduled.compareAndSet(false, true)) {
      compiler.execute(this::drainModelEvents);
    }
  }

  /**
   * Takes every model event that arrived since the last drain and reconciles the switches they
   * affect, against one fresh snapshot. A burst of REST writes (a provisioning script, a
   * tenant's teardown) therefore costs one snapshot and one reconcile request per switch,
   * not one per write.
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
    changes.incrementAndGet();
    Set<String> hosts = new HashSet<>();
    for (ModelEvent e : batch) {
      hosts.addAll(AffectedHosts.of(before, after, e.oldValue(), e.newValue()));
    }
    Set<Long> dpids = new HashSet<>();
    for (String host : hosts) {
      dpidOf(before, host).ifPresent(dpids::add);
      dpidOf(after, host).ifPresent(dpids::add);
    }
    dpids.forEach(dpid -> queue.request(dpid, false));
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
    return queue.request(dpid, false);
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
        queue.request(next.datapathId(), true).join();
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
    model.hostByDatapathId(sw.datapathId()).ifPresent(h -> uplinks.switchConnected(h.name()));
    bindings.connected(sw.datapathId(), portNumbers(sw.ports()));
    changes.incrementAndGet();
    if (model.hostByDatapathId(sw.datapathId()).isEmpty()) {
      LOG.warn("[{}] connected but no host has this datapath id; register it with POST /v1/hosts",
          sw.dpidString());
    }
    queue.request(sw.datapathId(), true);
  }

  @Override
  public void switchDisconnected(SwitchHandle sw) {
    if (switches.get(sw.datapathId()).isEmpty()) {
      bindings.disconnected(sw.datapathId());
      changes.incrementAndGet();
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
      queue.request(sw.datapathId(), false);
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
    dpidOf(model, host).ifPresent(dpid -> queue.request(dpid, false));
  }

  /** Packet-ins by kind and tenant, packet-outs: read by metrics. */
  public PacketInCounters packetInCounters() {
    return packetIns.counters();
  }

  private static Map<String, Integer> portNumbers(Map<Integer, OFPortDesc> ports) {
    return ports.values().stream().collect(Collectors.toMap(
        OFPortDesc::getName, p -> p.getPortNo().getPortNumber(), (a, b) -> a));
  }

  // ---- reconcile ----

  /**
   * Full: read the switch back and diff (on connect, and by the periodic audit, which corrects
   * hand edits); otherwise diff against what this connection was last brought to.
   */
  private CompletableFuture<?> reconcile(long dpid, boolean full) {
    Optional<SwitchHandle> sw = switches.get(dpid);
    if (sw.isEmpty() || !mayWrite.test(dpid)) {
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.supplyAsync(() -> {
          model.hostByDatapathId(dpid)
              .ifPresent(h -> uplinks.beforeReconcile(sw.get(), h.name(), model, bindings()));
          return desiredState(dpid);
        }, compiler)
        .thenCompose(desired -> full ? reconciler.reconcile(sw.get(), desired)
            : reconciler.update(sw.get(), desired))
        .whenComplete((result, err) -> reconciled(sw.get(), result, err));
  }

  /** The desired state of one switch: its host's compile, or nothing for an unknown switch. */
  DesiredState desiredState(long dpid) {
    Model m = model;
    return m.hostByDatapathId(dpid)
        .map(h -> HostCompiler.compile(m, bindings(), uplinks.nextHops(), h.name()))
        .orElse(DesiredState.EMPTY);
  }

  /** What reconciles did to one switch since it last connected (empty before the first). */
  public Optional<SwitchReconciles> reconciles(long dpid) {
    return Optional.ofNullable(perSwitch.get(dpid));
  }

  private void reconciled(SwitchHandle sw, ReconcileResult result, Throwable err) {
    perSwitch.compute(sw.datapathId(), (k, old) -> SwitchReconciles.after(old, sw, result, err));
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
  public boolean hostConnected(String host) {
    return switchOf(host).isPresent();
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
    compiler.shutdownNow();
    try {
      compiler.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
