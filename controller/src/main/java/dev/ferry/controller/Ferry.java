package dev.ferry.controller;

import dev.ferry.apps.model.Model;
import dev.ferry.controller.engine.Engine;
import dev.ferry.controller.metrics.FerryMetrics;
import dev.ferry.controller.metrics.MetricsRoutes;
import dev.ferry.controller.rest.RestAuth;
import dev.ferry.controller.rest.RestHttps;
import dev.ferry.controller.rest.RestRoutes;
import dev.ferry.controller.rest.RestServer;
import dev.ferry.controller.rest.SessionRoutes;
import dev.ferry.controller.rest.SwitchRoutes;
import dev.ferry.controller.rest.TraceRoutes;
import dev.ferry.controller.store.EtcdStore;
import dev.ferry.controller.rest.VersionRoutes;
import dev.ferry.controller.trace.TraceService;
import dev.ferry.controller.ui.UiEvents;
import dev.ferry.controller.ui.WebUi;
import dev.ferry.controller.store.SqliteStore;
import dev.ferry.controller.store.Store;
import dev.ferry.southbound.OpenFlowServer;
import dev.ferry.southbound.SouthboundConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The running controller: the composition of its parts, started in dependency order and
 * stopped in reverse. Add a part here and nowhere else.
 */
public final class Ferry implements AutoCloseable {

  private static final Logger LOG = LogManager.getLogger(Ferry.class);

  private final FerryConfig config;
  private final List<RestRoutes> extraRoutes;
  private Store store;
  private OpenFlowServer openflow;
  private volatile Engine engine; // read by the switch identity check on Netty threads
  private RestServer rest;
  private UiEvents uiEvents;
  private String adminToken;
  private FerryMetrics metrics;
  private dev.ferry.controller.cluster.Mastership mastership;
  private DataDirectory dataDirectory;

  public Ferry(FerryConfig config) {
    this(config, List.of());
  }

  public Ferry(FerryConfig config, List<RestRoutes> extraRoutes) {
    this.config = config;
    this.extraRoutes = List.copyOf(extraRoutes);
  }

  public synchronized Ferry start() {
    dataDirectory = DataDirectory.acquire(config.dataDir());
    Store opened;
    try {
      adminToken = AdminToken.resolve(config.adminToken(), config.dataDir());
      opened = config.etcd() == null ? SqliteStore.open(config.dataDir()) : EtcdStore.open(config.etcd());
    } catch (IOException | RuntimeException e) {
      dataDirectory.close();
      dataDirectory = null;
      throw e instanceof IOException io
          ? new UncheckedIOException("cannot read or create the admin token in " + config.dataDir(), io)
          : (RuntimeException) e;
    }
    store = opened;
    metrics = new FerryMetrics();
    if (opened instanceof EtcdStore etcd) {
      metrics.bind(etcd);
    } else {
      metrics.bind((SqliteStore) opened);
    }
    try {
      startSwitchSide();
      List<RestRoutes> routes = new ArrayList<>(extraRoutes);
      routes.add(new SwitchRoutes(openflow.registry(), engine));
      routes.add(new TraceRoutes(new TraceService(engine, () -> store.snapshot().version())));
      RestAuth auth = new RestAuth(adminToken, store);
      uiEvents = new UiEvents(store, engine);
      openflow.addListener(uiEvents);
      routes.add(new WebUi());
      routes.add(uiEvents);
      routes.add(new SessionRoutes(store, auth.tickets()));
      routes.add(new VersionRoutes(store, engine));
      routes.add(new MetricsRoutes(metrics, config.metricsOpen(), adminToken, config.metricsToken()));
      if (mastership != null) {
        routes.add(new dev.ferry.controller.cluster.ClusterRoutes(mastership, (EtcdStore) store));
      }
      HostPort r = config.restListen();
      if (config.restTls()) {
        var ssl = RestHttps.context(config.tls().cert(), config.tls().key());
        rest = new RestServer(store, engine, auth, routes, metrics::restRequest,
            cfg -> {
              WebUi.configure(cfg);
              RestHttps.configure(cfg, r.host(), r.port(), ssl);
            }).startConfigured();
      } else {
        rest = new RestServer(store, engine, auth, routes, metrics::restRequest, WebUi::configure)
            .start(r.host(), r.port());
      }
    } catch (PortInUse e) {
      stop();
      throw e;
    } catch (RuntimeException | InterruptedException e) {
      stop();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      if (PortInUse.isBindFailure(e)) {
        throw PortInUse.of("REST", config.restListen(), "--rest-listen", e);
      }
      throw new IllegalStateException("Ferry failed to start: " + e.getMessage(), e);
    }
    LOG.info("Ferry started: OpenFlow on {}, OpenFlow over TLS on {}, REST on {}:{}, data in {}",
        config.openflowListen() == null ? "(off)" : openflow.boundAddress(),
        config.openflowTlsListen() == null ? "(off)" : openflow.tlsBoundAddress(),
        config.restListen().host(), rest.port(), config.dataDir().toAbsolutePath());
    return this;
  }

  private void startSwitchSide() throws InterruptedException {
    HostPort of = config.openflowListen();
    SouthboundConfig southbound = SouthboundConfig.defaults()
        .withBindAddress(of == null ? null : new InetSocketAddress(of.host(), of.port()))
        .withKeepalive(config.echoInterval(), config.echoTimeout());
    // engine is set below, before the listener accepts anyone; until then no host is known
    openflow = new OpenFlowServer(southbound,
        new HostCertificateCheck(() -> engine == null ? Model.EMPTY : engine.model()));
    HostPort tls = config.openflowTlsListen();
    if (tls != null) {
      openflow.withTls(new InetSocketAddress(tls.host(), tls.port()), SwitchTls.serverContext(config.tls()));
    }
    engine = new Engine(store, openflow.registry()).withDhcpLease(config.dhcpLease()).start();
    metrics.bind(openflow).bind(engine).bind(new dev.ferry.controller.engine.SecurityDrops(openflow.registry(), engine::model));
    if (store instanceof EtcdStore etcd) {
      // A cluster node: per-switch mastership first, so a switch is fenced before the engine hears of it.
      String node = java.net.InetAddress.getLoopbackAddress().getHostName();
      try {
        node = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        // keep the loopback name
      }
      Engine e = engine;
      mastership = new dev.ferry.controller.cluster.Mastership(etcd.etcd(), etcd.location().root(),
          nodeId(node), "rest=" + config.restListen().host() + ":" + config.restListen().port(),
          openflow.registry(), dpid -> e.reconcileFully(dpid), java.time.Duration.ofSeconds(2)).start();
      engine.writeOnlyTo(mastership::isMaster);
      // ?wait=switches through any node: masters publish what their switches hold, the others listen.
      engine.withElsewhere(mastership.installedVersions(), mastership.installedVersions()::installed);
      mastership.installedVersions().onHeard(e::heardFromElsewhere);
      metrics.bind(mastership);
      openflow.addListener(mastership);
    }
    openflow.addListener(engine);
    try {
      openflow.start();
    } catch (Throwable e) { // Netty throws BindException sneakily
      if (PortInUse.isBindFailure(e)) {
        HostPort failed = of != null && (tls == null || !PortInUse.free(of)) ? of : tls;
        throw PortInUse.of("OpenFlow", failed, failed == of ? "--openflow-listen" : "--openflow-tls-listen", e);
      }
      throw e;
    }
  }

  /** Nodes started in one JVM (tests) get distinct ids: an id names one lease's keys. */
  private static final java.util.concurrent.atomic.AtomicInteger NODES_IN_THIS_JVM =
      new java.util.concurrent.atomic.AtomicInteger();

  private static String nodeId(String host) {
    int n = NODES_IN_THIS_JVM.incrementAndGet();
    return host + "-" + ProcessHandle.current().pid() + (n == 1 ? "" : "-" + n);
  }

    public synchronized void stop() {
    if (rest != null) {
      rest.stop();
      rest = null;
    }
    if (uiEvents != null) {
      uiEvents.close();
      uiEvents = null;
    }
    if (mastership != null) {
      mastership.close();
      mastership = null;
    }
    if (openflow != null) {
      openflow.close();
      openflow = null;
    }
    if (engine != null) {
      engine.close();
      engine = null;
    }
    if (store != null) {
      store.close();
      store = null;
    }
    if (dataDirectory != null) {
      dataDirectory.close();
      dataDirectory = null;
    }
    LOG.info("Ferry stopped");
  }

  @Override
  public void close() {
    stop();
  }

  public FerryConfig config() {
    return config;
  }

  public Store store() {
    return store;
  }

  public Engine engine() {
    return engine;
  }

  public OpenFlowServer openflow() {
    return openflow;
  }

  /** The REST port actually bound (differs from the config when it asked for port 0). */
  public int restPort() {
    return rest.port();
  }

  public FerryMetrics metrics() {
    return metrics;
  }

  /** The OpenFlow-over-TLS port actually bound. */
  public int openflowTlsPort() {
    return openflow.tlsBoundAddress().getPort();
  }

  /** The OpenFlow port actually bound. */
  public int openflowPort() {
    return openflow.boundAddress().getPort();
  }

  public String adminToken() {
    return adminToken;
  }
}
