package dev.ferry.controller.metrics;

import dev.ferry.controller.engine.Engine;
import dev.ferry.controller.engine.EngineCounters;
import dev.ferry.controller.engine.PacketInCounters;
import dev.ferry.controller.store.SqliteStore;
import dev.ferry.southbound.OpenFlowServer;
import dev.ferry.southbound.SouthboundCounters;
import dev.ferry.southbound.SwitchHandle;
import dev.ferry.southbound.SwitchListener;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Ferry's Prometheus metrics. Where a part already counts (southbound, engine, packet-in
 * service), the metric reads that count by callback at scrape time instead of counting twice;
 * only what nothing counted yet (handshakes, disconnects, durations, REST requests) is counted
 * here.
 */
public final class FerryMetrics {
  private static final double[] RECONCILE_BUCKETS = {.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10};
  private static final double[] WRITE_BUCKETS = {.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter handshakes = Counter.builder().name("ferry_switch_handshakes")
      .help("OpenFlow handshakes completed (switch READY)").register(registry);
  private final Counter disconnects = Counter.builder().name("ferry_switch_disconnects")
      .help("switch connections closed after their handshake").register(registry);
  private final Histogram reconcileSeconds = Histogram.builder().name("ferry_reconcile_duration_seconds")
      .help("duration of successful reconciles (read, diff, send, barrier)").unit(Unit.SECONDS)
      .classicOnly().classicUpperBounds(RECONCILE_BUCKETS).register(registry);
  private final Histogram storeWriteSeconds = Histogram.builder().name("ferry_store_write_duration_seconds")
      .help("duration of store write transactions until durable").unit(Unit.SECONDS)
      .classicOnly().classicUpperBounds(WRITE_BUCKETS).register(registry);
  private final Counter restRequests = Counter.builder().name("ferry_rest_requests")
      .help("REST requests by method, route template and status").labelNames("method", "route", "status")
      .register(registry);

  public PrometheusRegistry registry() {
    return registry;
  }

  /** Switch-side metrics: connected switches, handshakes, disconnects, message counters. */
  public FerryMetrics bind(OpenFlowServer openflow) {
    openflow.addListener(new SwitchListener() {
      @Override
      public void switchReady(SwitchHandle sw) {
        handshakes.inc();
      }

      @Override
      public void switchDisconnected(SwitchHandle sw) {
        disconnects.inc();
      }
    });
    GaugeWithCallback.builder().name("ferry_switches_connected").help("switches connected and READY")
        .callback(cb -> cb.call(openflow.registry().size())).register(registry);
    SouthboundCounters c = openflow.counters();
    counter("ferry_openflow_messages_sent", "OpenFlow messages sent to switches", c, SouthboundCounters::messagesSent);
    counter("ferry_openflow_messages_received", "OpenFlow messages received from switches", c,
        SouthboundCounters::messagesReceived);
    counter("ferry_openflow_errors_received", "OpenFlow error messages received", c, SouthboundCounters::errorsReceived);
    counter("ferry_flow_mods_sent", "flow-mods sent to switches", c, SouthboundCounters::flowModsSent);
    counter("ferry_packet_outs_sent", "packet-outs sent to switches", c, SouthboundCounters::packetOutsSent);
    return this;
  }

  /** Engine metrics: reconcile runs, failures and durations; packet-ins by kind and tenant. */
  public FerryMetrics bind(Engine engine) {
    EngineCounters c = engine.counters();
    counter("ferry_reconciles", "reconciles finished", c, EngineCounters::reconciles);
    counter("ferry_reconcile_failures", "reconciles that failed", c, EngineCounters::failedReconciles);
    c.onReconcile(d -> reconcileSeconds.observe(d.toNanos() / 1e9));
    GaugeWithCallback.builder().name("ferry_engine_switch_states_kept")
        .help("switches whose installed flows and compile memo the engine keeps in memory (connected ones)")
        .callback(cb -> cb.call(engine.switchStatesKept())).register(registry);
    GaugeWithCallback.builder().name("ferry_engine_full_reconciles_running")
        .help("full reconciles in their compile, read-back and diff now; at most ferry.max-full-reconciles")
        .callback(cb -> cb.call(engine.fullReconcilesRunning())).register(registry);
    GaugeWithCallback.builder().name("ferry_engine_full_reconciles_waiting")
        .help("full reconciles queued for admission (a connect storm's backlog)")
        .callback(cb -> cb.call(engine.fullReconcilesWaiting())).register(registry);
    PacketInCounters p = engine.packetInCounters();
    labelled("ferry_packet_ins", "packet-ins by kind (arp, dhcp, other)", "kind", p::byKind);
    labelled("ferry_packet_ins_by_tenant", "packet-ins by tenant id (none: no network found)", "tenant", p::byTenant);
    return this;
  }

  public FerryMetrics bind(SqliteStore store) {
    store.onWrite(nanos -> storeWriteSeconds.observe(nanos / 1e9));
    return this;
  }

  /** The etcd store: write latency, the revision applied and how far the watch lags etcd. */
  public FerryMetrics bind(dev.ferry.controller.store.EtcdStore store) {
    store.onWrite(nanos -> storeWriteSeconds.observe(nanos / 1e9));
    GaugeWithCallback.builder().name("ferry_etcd_applied_revision").help("etcd revision this node's model has applied")
        .callback(cb -> cb.call(store.appliedRevision())).register(registry);
    GaugeWithCallback.builder().name("ferry_etcd_watch_lag_revisions")
        .help("etcd revisions this node's watch had not yet applied at its last response")
        .callback(cb -> cb.call(store.watchLagRevisions())).register(registry);
    return this;
  }

  /** Cluster mastership: switches gained and lost, and how many this node masters now. */
  public FerryMetrics bind(dev.ferry.controller.cluster.Mastership m) {
    counter("ferry_mastership_gained", "switches this node became the confirmed master of", m,
        dev.ferry.controller.cluster.Mastership::mastershipsGained);
    counter("ferry_mastership_lost", "switches this node stopped mastering (handed over, stepped down, gone)", m,
        dev.ferry.controller.cluster.Mastership::mastershipsLost);
    counter("ferry_mastership_handed_over", "switches this node handed to a less loaded node (rebalance; also in lost)", m,
        dev.ferry.controller.cluster.Mastership::mastershipsHandedOver);
    return this;
  }

  /**
   * The security groups' drop counters, read from the switches at each scrape: per port and
   * direction (what no rule allows), per group and rule (a remote-group rule's established
   * packets whose other end left the group).
   */
  public FerryMetrics bind(dev.ferry.controller.engine.SecurityDrops drops) {
    // one read of the switches serves both series of a scrape
    java.util.concurrent.atomic.AtomicReference<dev.ferry.controller.engine.SecurityDrops.Counts> last =
        new java.util.concurrent.atomic.AtomicReference<>();
    CounterWithCallback.builder().name("ferry_security_group_port_dropped_packets")
        .help("packets a port's security groups dropped (no rule allows them), by port and direction")
        .labelNames("port", "direction")
        .callback(cb -> {
          var counts = drops.all();
          last.set(counts);
          counts.ports().forEach((k, v) -> cb.call(v, k.port(), k.direction()));
        }).register(registry);
    CounterWithCallback.builder().name("ferry_security_group_rule_dropped_packets")
        .help("established packets a remote-group rule no longer lets through (the other end left the group)")
        .labelNames("group", "rule")
        .callback(cb -> {
          var counts = last.getAndSet(null);
          (counts == null ? drops.all() : counts).rules().forEach((k, v) -> cb.call(v, k.group(), k.rule()));
        }).register(registry);
    return this;
  }

  /** Called by the REST server after every request. */
  public void restRequest(String method, String route, int status) {
    restRequests.labelValues(method, route, Integer.toString(status)).inc();
  }

  private <T> void counter(String name, String help, T source, ToLongFunction<T> read) {
    CounterWithCallback.builder().name(name).help(help)
        .callback(cb -> cb.call(read.applyAsLong(source))).register(registry);
  }

  private void labelled(String name, String help, String label, Supplier<Map<String, Long>> values) {
    CounterWithCallback.builder().name(name).help(help).labelNames(label)
        .callback(cb -> values.get().forEach((k, v) -> cb.call(v, k))).register(registry);
  }
}
