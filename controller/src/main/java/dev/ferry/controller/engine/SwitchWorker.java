package dev.ferry.controller.engine;

import dev.ferry.apps.compile.CompileMemo;

import dev.ferry.southbound.SwitchHandle;
import dev.ferry.southbound.flow.DesiredState;
import dev.ferry.southbound.flow.FlowReconciler;
import dev.ferry.southbound.flow.ReconcileResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongFunction;

/**
 * The one owner of everything Ferry knows about one switch's flows: its queue of reconcile
 * requests, what the switch was last brought to on this connection, the model version that
 * was, and whether the next run must be full (read the switch back).
 *
 * <p>Every field is read and written only by tasks on {@code serial}, a sequential executor
 * over the engine's reconcile pool: the worker behaves like one thread per switch without
 * costing one. Requests from any thread become tasks; a reconcile's completion (a barrier
 * reply on the Netty event loop) becomes a task too. {@link #installedVersion()} and
 * {@link #reconciles()} are published in volatiles for readers (REST, waits).
 *
 * <p>One run at a time; while one runs, any number of requests collapse into one rerun after
 * it, which compiles the model as it is then (a burst of writes costs at most two runs).
 * A full run first waits for a slot of the engine's {@link FullReconcileAdmission} (requests
 * collapse meanwhile, and the compile happens once admitted, so a waiting switch holds
 * nothing) and gives it back once its read-back is diffed (or the run ends, if the read-back
 * failed); incremental runs start at once.
 */
final class SwitchWorker {
  /** A switch's desired state compiled from one model snapshot. */
  record Compiled(DesiredState desired, long modelVersion) {}

  /** Compiles one switch's desired state, reusing the unchanged fragments of its memo. */
  interface Compiler {
    Compiled compile(long dpid, CompileMemo memo);
  }

  /** Told what the worker did (engine counters and logs, version waits); called on the worker. */
  interface Observer {
    /** A run finished: result, or err when it failed. */
    void reconciled(SwitchHandle sw, ReconcileResult result, Throwable err);

    /** The switch now holds this model version ({@link #installedVersion()} grew). */
    void holds(long dpid, long version);

    /** The switch holds this version because the changes up to it did not concern it. */
    default void advanced(long dpid, long version) {
      holds(dpid, version);
    }
  }

  private final long dpid;
  private final Executor serial;
  private final LongFunction<Optional<SwitchHandle>> connection;
  private final Compiler compile;
  private final FlowReconciler reconciler;
  private final Observer observer;
  private final FullReconcileAdmission admission;

  // ---- owned by serial ----
  /** A run is in flight, or a full run waits for admission. */
  private boolean running;
  /** This worker holds one of the admission's slots (released once its read-back is diffed, or its run ends). */
  private boolean admitted;
  private boolean pending;
  private boolean pendingFull;
  private List<CompletableFuture<Void>> pendingWaiters = new ArrayList<>();
  /** The connection {@link #installed} belongs to; null: unknown, the next run is full. */
  private SwitchHandle installedOn;
  private DesiredState installed;
  /** The newest model version whose change did not concern this switch (see {@link #advance}). */
  private long advancedTo;
  /** The connection that refused an OpenFlow bundle: it gets messages one by one. */
  private SwitchHandle refusedBundles;
  /** This switch's compile fragments from its last compile (incremental compile). */
  private final CompileMemo memo = CompileMemo.create();

  // ---- written by serial, read by anyone ----
  private volatile long installedVersion;
  /** Flows in {@link #installed} after the last confirmed run on this connection; -1: none yet. */
  private volatile int installedFlows = -1;
  /** Whether this worker keeps an installed state or memo fragments in memory (for metrics). */
  private volatile boolean keepsState;
  private volatile SwitchReconciles reconciles;

  /**
   * The newest model version the engine asked this switch to reach (written only by the
   * engine's event thread): a wait for version v waits on the switches asked for v or later.
   */
  private volatile long requestedVersion;

  SwitchWorker(long dpid, Executor serial, LongFunction<Optional<SwitchHandle>> connection,
      Compiler compile, FlowReconciler reconciler, FullReconcileAdmission admission,
      Observer observer) {
    this.dpid = dpid;
    this.admission = admission;
    this.serial = serial;
    this.connection = connection;
    this.compile = compile;
    this.reconciler = reconciler;
    this.observer = observer;
  }

  long dpid() {
    return dpid;
  }

  /**
   * The model version this switch holds: every flow the model at this version asks of it is
   * installed (confirmed by barriers). 0 until the first run on this connection finished.
   */
  long installedVersion() {
    return installedVersion;
  }

  int installedFlows() {
    return installedFlows;
  }

  long requestedVersion() {
    return requestedVersion;
  }

  /** Engine event thread only. */
  void requestedVersion(long v) {
    requestedVersion = Math.max(requestedVersion, v);
  }

  /** What runs did since the switch last connected (null before the first). */
  SwitchReconciles reconciles() {
    return reconciles;
  }

  /** Completes once a run that started after this call has finished (fails if it failed). */
  CompletableFuture<Void> request(boolean full) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    serial.execute(() -> {
      pending = true;
      pendingFull |= full;
      pendingWaiters.add(done);
      startIfIdle();
    });
    return done;
  }

  /**
   * The switch has no connection left: what it held and the memo of its compile are dropped
   * (the next connection starts with a full run anyway), so a host that is gone or down keeps
   * no flows in Ferry's heap. A run still in flight finds no connection when it ends and keeps
   * nothing either.
   */
  void disconnected() {
    serial.execute(this::forget);
  }

  private void forget() {
    installedOn = null;
    installed = null;
    installedFlows = -1;
    memo.clear();
    keepsState = false;
  }

  /** Whether this worker holds a switch's installed state or compile memo in memory. */
  boolean keepsState() {
    return keepsState;
  }

  /** A new connection: nothing is known about what it holds; then a full run. */
  CompletableFuture<Void> connected() {
    serial.execute(() -> {
      installedOn = null;
      installed = null;
      installedVersion = 0;
      installedFlows = -1;
    });
    return request(true);
  }

  /**
   * The model reached version v by changes that do not concern this switch: when it holds the
   * newest state already (idle, nothing queued), it holds v too. Otherwise the run in flight
   * or queued takes v into account when it finishes.
   */
  void advance(long v) {
    serial.execute(() -> {
      advancedTo = Math.max(advancedTo, v);
      if (!running && !pending && installedOn != null && v > installedVersion) {
        installedVersion = v;
        observer.advanced(dpid, v);
      }
    });
  }

  private void startIfIdle() {
    if (running || !pending) {
      return;
    }
    Optional<SwitchHandle> sw = connection.apply(dpid);
    if (sw.isEmpty()) {
      List<CompletableFuture<Void>> waiters = takeWaiters();
      releaseSlot();
      forget();
      waiters.forEach(w -> w.complete(null));
      return;
    }
    boolean full = pendingFull || installedOn != sw.get() || installed == null;
    if (full && !admitted) {
      running = true;
      admission.admit(() -> serial.execute(() -> {
        admitted = true;
        running = false;
        startIfIdle();
      }));
      return;
    }
    List<CompletableFuture<Void>> waiters = takeWaiters();
    running = true;
    CompletableFuture<ReconcileResult> run;
    Compiled compiled = null;
    try {
      compiled = compile.compile(dpid, memo);
      boolean bundles = refusedBundles != sw.get();
      // The slot covers the read-back and its diff: sending and the switch's confirmation
      // hold no read-back, and holding the slot through them left Ferry idle in a storm.
      run = full
          ? reconciler.reconcile(sw.get(), compiled.desired(), bundles,
              () -> serial.execute(this::releaseSlot))
          : reconciler.update(sw.get(), installed, compiled.desired(), bundles);
    } catch (RuntimeException e) {
      run = CompletableFuture.failedFuture(e);
    }
    installedOn = null; // unknown while messages are in flight
    installed = null;
    long version = compiled == null ? 0 : compiled.modelVersion();
    run.whenComplete((result, err) ->
        serial.execute(() -> finished(sw.get(), version, result, err, waiters)));
  }

  private List<CompletableFuture<Void>> takeWaiters() {
    List<CompletableFuture<Void>> waiters = pendingWaiters;
    pendingWaiters = new ArrayList<>();
    pending = false;
    pendingFull = false;
    return waiters;
  }

  private void releaseSlot() {
    if (admitted) {
      admitted = false;
      admission.release();
    }
  }

  private void finished(SwitchHandle sw, long version, ReconcileResult result, Throwable err,
      List<CompletableFuture<Void>> waiters) {
    running = false;
    releaseSlot();
    reconciles = SwitchReconciles.after(reconciles, sw, result, err);
    observer.reconciled(sw, result, err);
    if (err == null) {
      if (result.installedAs() == ReconcileResult.InstalledAs.PLAIN_BUNDLES_REFUSED) {
        refusedBundles = sw;
      }
      installedOn = sw;
      installed = result.installed();
      installedFlows = installed.flows().size();
      keepsState = true;
      long holds = pending ? version : Math.max(version, advancedTo);
      if (holds > installedVersion) {
        installedVersion = holds;
        observer.holds(dpid, holds);
      }
    }
    if (connection.apply(dpid).isEmpty()) {
      forget(); // the switch went away while this run was in flight
    }
    for (CompletableFuture<Void> w : waiters) {
      if (err == null) {
        w.complete(null);
      } else {
        w.completeExceptionally(err);
      }
    }
    startIfIdle();
  }
}
