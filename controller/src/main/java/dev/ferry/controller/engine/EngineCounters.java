package dev.ferry.controller.engine;

import dev.ferry.southbound.flow.ReconcileResult;
import java.util.concurrent.atomic.AtomicLong;

/** What the engine did since start; read by tests, benchmarks and metrics. */
public final class EngineCounters {
  private final AtomicLong reconciles = new AtomicLong();
  private final AtomicLong failedReconciles = new AtomicLong();
  private final AtomicLong flowMods = new AtomicLong();
  private final AtomicLong reconcileNanos = new AtomicLong();

  private volatile java.util.function.Consumer<java.time.Duration> reconcileObserver = d -> {};

  /** Called with each successful reconcile's duration (metrics' histogram). */
  public void onReconcile(java.util.function.Consumer<java.time.Duration> observer) {
    reconcileObserver = observer;
  }

  void reconciled(ReconcileResult r) {
    reconcileObserver.accept(r.duration());
    reconciles.incrementAndGet();
    flowMods.addAndGet(r.flowMods());
    reconcileNanos.addAndGet(r.duration().toNanos());
  }

  void reconcileFailed() {
    failedReconciles.incrementAndGet();
  }

  public long reconciles() {
    return reconciles.get();
  }

  public long failedReconciles() {
    return failedReconciles.get();
  }

  /** Flow-mods sent by reconciles: zero after a restart onto switches that were right. */
  public long flowMods() {
    return flowMods.get();
  }

  public long reconcileNanos() {
    return reconcileNanos.get();
  }
}
