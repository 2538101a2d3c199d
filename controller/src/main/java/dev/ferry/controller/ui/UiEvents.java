package dev.ferry.controller.ui;

import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.controller.engine.Engine;
import dev.ferry.controller.rest.Principal;
import dev.ferry.controller.rest.RestAuth;
import dev.ferry.controller.rest.RestRoutes;
import dev.ferry.controller.store.Store;
import dev.ferry.southbound.SwitchHandle;
import dev.ferry.southbound.SwitchListener;
import io.javalin.Javalin;
import io.javalin.http.sse.SseClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortReason;

/**
 * GET /v1/events: server-sent events for the web view. A client gets "ready" once subscribed,
 * then "changed" whenever what it may see changed: the model objects of its tenant (all of them
 * for the admin), their ports' binding state, and for the admin the hosts' connections and the
 * model version each switch holds. The event carries no objects, only a sequence number: the
 * page re-reads the REST API with its own token, so a tenant's stream says nothing about another
 * tenant, not even that it changed. Triggers (a model commit, a switch connecting or going, a
 * port status, a switch holding a newer version) only schedule a pass; bursts coalesce.
 *
 * <p>Threads: the subscribers and their last views are owned by the one "ferry-ui-events"
 * thread; triggers arrive on any thread and only schedule a pass there.
 */
public final class UiEvents implements RestRoutes, SwitchListener, AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(UiEvents.class);
  /** Coalescing delay between a trigger and the pass that compares views. */
  private static final long COALESCE_MS = 50;
  /** A comment line this often keeps idle streams (and proxies) from timing out. */
  private static final long HEARTBEAT_S = 15;

  private final Store store;
  private final Engine engine;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "ferry-ui-events");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean scheduled = new AtomicBoolean();
  // ---- owned by thread ----
  private final List<Subscriber> subscribers = new ArrayList<>();

  private static final class Subscriber {
    final SseClient client;
    final Principal principal;
    Object view;
    long seq;

    Subscriber(SseClient client, Principal principal) {
      this.client = client;
      this.principal = principal;
    }
  }

  public UiEvents(Store store, Engine engine) {
    this.store = store;
    this.engine = engine;
    store.subscribe(e -> changed());
    engine.onInstalled(this::changed);
    thread.scheduleAtFixedRate(this::heartbeat, HEARTBEAT_S, HEARTBEAT_S, TimeUnit.SECONDS);
  }

  @Override
  public void register(Javalin app) {
    app.sse(RestAuth.EVENTS_PATH, client -> {
      Principal p = RestAuth.principal(client.ctx());
      client.keepAlive();
      Subscriber s = new Subscriber(client, p);
      client.onClose(() -> {
        try {
          thread.execute(() -> subscribers.remove(s));
        } catch (java.util.concurrent.RejectedExecutionException e) {
          // stopped: nothing left to remove from
        }
      });
      thread.execute(() -> {
        try {
          s.view = view(store.snapshot(), store.version(), p);
          subscribers.add(s);
          send(s, "ready");
        } catch (RuntimeException e) {
          LOG.warn("event stream not opened", e);
          client.close();
        }
      });
    });
  }

  /** Something may have changed: schedule one pass (coalescing with any already scheduled). */
  public void changed() {
    if (scheduled.compareAndSet(false, true)) {
      try {
        thread.schedule(this::pass, COALESCE_MS, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        scheduled.set(false); // closed
      }
    }
  }

  private void pass() {
    scheduled.set(false);
    if (subscribers.isEmpty()) {
      return;
    }
    long version = store.version();
    Model m = store.snapshot();
    for (Subscriber s : List.copyOf(subscribers)) {
      Object v = view(m, version, s.principal);
      if (!v.equals(s.view)) {
        s.view = v;
        send(s, "changed");
      }
    }
  }

  private void heartbeat() {
    for (Subscriber s : List.copyOf(subscribers)) {
      try {
        s.client.sendComment("heartbeat");
      } catch (RuntimeException e) {
        subscribers.remove(s);
      }
    }
  }

  private void send(Subscriber s, String event) {
    try {
      s.seq++;
      s.client.sendEvent(event, "{\"seq\":" + s.seq + "}", Long.toString(s.seq));
    } catch (RuntimeException e) {
      LOG.warn("event stream closed: {}", e.toString(), e);
      subscribers.remove(s);
    }
  }

  /**
   * What the caller's page shows, as comparable values: the caller's objects (records compare by
   * value, revisions included) and their runtime state; for the admin also hosts' connections
   * and the version each switch holds.
   */
  private Object view(Model m, long version, Principal p) {
    List<Object> v = new ArrayList<>();
    m.tenants().values().stream().filter(t -> p.sees(t.id())).forEach(v::add);
    m.networks().values().stream().filter(n -> p.sees(n.tenantId())).forEach(v::add);
    for (Port port : m.ports().values()) {
      Network n = m.networks().get(port.networkId());
      if (n != null && p.sees(n.tenantId())) {
        v.add(port);
        v.add(engine.portStatus(port));
      }
    }
    m.floatingIps().values().stream().filter(f -> p.sees(f.tenantId())).forEach(v::add);
    m.securityGroups().values().stream().filter(g -> p.sees(g.tenantId())).forEach(v::add);
    if (p.isAdmin()) {
      v.add(version);
      for (Host h : m.hosts().values()) {
        v.add(h);
        v.add(engine.hostConnected(h));
        v.add(engine.installedVersion(h.datapathId()));
      }
    }
    return v;
  }

  @Override
  public void switchReady(SwitchHandle sw) {
    changed();
  }

  @Override
  public void switchDisconnected(SwitchHandle sw) {
    changed();
  }

  @Override
  public void portChanged(SwitchHandle sw, OFPortDesc port, OFPortReason reason) {
    changed();
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
