package dev.ferry.controller.engine;

import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Admission control for full reconciles: at most {@code limit} are in their read-back phase at
 * once (compile, read-back outstanding, diffing; sending the difference and waiting for the
 * switch's confirmation are outside), the others wait in arrival order. A full reconcile reads the
 * switch's whole flow table back (7,000 flows a host at 100 ports), so a connect storm of 1,000
 * switches (a controller restart with full tables) would otherwise hold 7 M decoded flows at
 * once. Incremental runs never come here.
 *
 * <p>State guarded by {@code this}; a granted run is started outside the lock.
 */
final class FullReconcileAdmission {
  /** Two per core, at least 8: the diff thread stays busy, few read-backs are held (8 x 7,000 flows). */
  static final int DEFAULT_LIMIT = Math.max(8, 2 * Runtime.getRuntime().availableProcessors());

  private final int limit;
  private final Queue<Runnable> waiting = new ArrayDeque<>();
  private int running;

  FullReconcileAdmission(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("at least one full reconcile must be allowed, got " + limit);
    }
    this.limit = limit;
  }

  /** The limit from {@code -Dferry.max-full-reconciles=N}, else {@link #DEFAULT_LIMIT}. */
  static FullReconcileAdmission fromSystemProperty() {
    return new FullReconcileAdmission(Integer.getInteger("ferry.max-full-reconciles", DEFAULT_LIMIT));
  }

  /** Runs {@code start} now if a slot is free, else once one is (each admitted run must {@link #release}). */
  void admit(Runnable start) {
    synchronized (this) {
      if (running >= limit) {
        waiting.add(start);
        return;
      }
      running++;
    }
    start.run();
  }

  /** An admitted run finished: its slot goes to the longest waiting one. */
  void release() {
    Runnable next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        running--;
        return;
      }
    }
    next.run();
  }

  int limit() {
    return limit;
  }

  synchronized int running() {
    return running;
  }

  synchronized int waiting() {
    return waiting.size();
  }
}
