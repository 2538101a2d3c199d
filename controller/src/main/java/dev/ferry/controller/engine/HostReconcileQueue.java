package dev.ferry.controller.engine;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

/**
 * Serializes reconciles per switch and coalesces bursts: while a switch's reconcile runs, any
 * number of further requests collapse into one rerun after it, which compiles the model as it
 * is then. A burst of REST writes therefore costs at most two reconciles per switch.
 */
final class HostReconcileQueue {
  private final LongFunction<CompletableFuture<?>> reconcile;
  private final Map<Long, SwitchQueue> queues = new ConcurrentHashMap<>();

  HostReconcileQueue(LongFunction<CompletableFuture<?>> reconcile) {
    this.reconcile = reconcile;
  }

  /** Completes once a reconcile that started after this call has finished. */
  CompletableFuture<Void> request(long dpid) {
    return queues.computeIfAbsent(dpid, SwitchQueue::new).request();
  }

  private final class SwitchQueue {
    private final long dpid;
    private boolean running;
    private CompletableFuture<Void> next;

    SwitchQueue(long dpid) {
      this.dpid = dpid;
    }

    synchronized CompletableFuture<Void> request() {
      if (next == null) {
        next = new CompletableFuture<>();
      }
      CompletableFuture<Void> waiter = next;
      if (!running) {
        startNext();
      }
      return waiter;
    }

    private synchronized void startNext() {
      CompletableFuture<Void> done = next;
      next = null;
      running = true;
      CompletableFuture<?> run;
      try {
        run = reconcile.apply(dpid);
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
