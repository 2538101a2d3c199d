package dev.ferry.controller.engine;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serializes reconciles per switch and coalesces bursts: while a switch's reconcile runs, any
 * number of further requests collapse into one rerun after it, which compiles the model as it
 * is then. A burst of REST writes therefore costs at most two reconciles per switch. A rerun is
 * full (reads the switch back) when any request it stands for asked for a full one.
 */
final class HostReconcileQueue {
  /** Starts one reconcile of a switch: (dpid, full) -> done. */
  interface Reconcile {
    CompletableFuture<?> start(long dpid, boolean full);
  }

  private final Reconcile reconcile;
  private final Map<Long, SwitchQueue> queues = new ConcurrentHashMap<>();

  HostReconcileQueue(Reconcile reconcile) {
    this.reconcile = reconcile;
  }

  /** Completes once a reconcile that started after this call has finished. */
  CompletableFuture<Void> request(long dpid, boolean full) {
    return queues.computeIfAbsent(dpid, SwitchQueue::new).request(full);
  }

  private final class SwitchQueue {
    private final long dpid;
    private boolean running;
    private CompletableFuture<Void> next;
    private boolean nextFull;

    SwitchQueue(long dpid) {
      this.dpid = dpid;
    }

    synchronized CompletableFuture<Void> request(boolean full) {
      if (next == null) {
        next = new CompletableFuture<>();
      }
      nextFull |= full;
      CompletableFuture<Void> waiter = next;
      if (!running) {
        startNext();
      }
      return waiter;
    }

    private synchronized void startNext() {
      CompletableFuture<Void> done = next;
      boolean full = nextFull;
      next = null;
      nextFull = false;
      running = true;
      CompletableFuture<?> run;
      try {
        run = reconcile.start(dpid, full);
      } catch (RuntimeException e) {
        run = CompletableFuture.failedFuture(e);
      }
      run.whenComplete((r, err) -> finished(done, err));
    }

    private void finished(CompletableFuture<Void> done, Throwable err) {
      synchronized (this) {
        running = false;
        if (next != null) {
          startNext();
        }
      }
      if (err == null) {
        done.complete(null);
      } else {
        done.completeExceptionally(err);
      }
    }
  }
}
