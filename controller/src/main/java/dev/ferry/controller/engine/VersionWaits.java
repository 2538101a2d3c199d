package dev.ferry.controller.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;

/**
 * Clients waiting until the switches a model version concerns hold it (REST
 * {@code ?wait=switches}). A wait for version v first waits for the engine to have handed v to
 * the switch workers; from then on its set of switches is fixed (those asked to reach v or
 * later and not holding v yet) and shrinks as each confirms, until it is empty.
 *
 * <p>All state is guarded by this object's monitor; it is entered from the engine's event
 * thread (a version processed), the switch workers (a switch holds a version) and the Netty
 * event loops (a switch went away), each for a short walk over the open waits.
 */
final class VersionWaits {

  /** One client's wait. */
  final class Wait {
    private final long version;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    /** Switches still to confirm; null until the engine processed {@link #version}. */
    private Set<Long> unconfirmed;

    private Wait(long version) {
      this.version = version;
    }

    long version() {
      return version;
    }

    /** Completes once every switch the version concerns holds it. */
    CompletableFuture<Void> done() {
      return done;
    }

    /**
     * The switches that have not confirmed yet; {@code all} answers while the engine has not
     * even handed the version to the workers (every switch not holding it is then unconfirmed).
     */
    Set<Long> unconfirmed(LongFunction<Set<Long>> all) {
      synchronized (VersionWaits.this) {
        return unconfirmed == null ? all.apply(version) : Set.copyOf(unconfirmed);
      }
    }

    /** The client stopped waiting (answered, timed out). */
    void close() {
      synchronized (VersionWaits.this) {
        waits.remove(this);
      }
    }
  }

  private final List<Wait> waits = new ArrayList<>();
  private long processed;

  /**
   * @param pendingAt the connected switches asked to reach a version or later that do not
   *     hold it yet (called under this monitor)
   */
  synchronized Wait add(long version, LongFunction<Set<Long>> pendingAt) {
    Wait w = new Wait(version);
    if (version <= processed) {
      fix(w, pendingAt);
    }
    if (!w.done.isDone()) {
      waits.add(w);
    }
    return w;
  }

  /** The engine handed every change up to this version to the switch workers. */
  synchronized void processed(long version, LongFunction<Set<Long>> pendingAt) {
    processed = Math.max(processed, version);
    for (Iterator<Wait> it = waits.iterator(); it.hasNext(); ) {
      Wait w = it.next();
      if (w.unconfirmed == null && w.version <= processed) {
        fix(w, pendingAt);
        if (w.done.isDone()) {
          it.remove();
        }
      }
    }
  }

  /** A switch holds this model version now. */
  synchronized void holds(long dpid, long version) {
    confirm(dpid, w -> w.version <= version);
  }

  /** A switch disconnected: it cannot confirm anything, and nobody waits for it. */
  synchronized void gone(long dpid) {
    confirm(dpid, w -> true);
  }

  private void confirm(long dpid, java.util.function.Predicate<Wait> satisfied) {
    for (Iterator<Wait> it = waits.iterator(); it.hasNext(); ) {
      Wait w = it.next();
      if (w.unconfirmed != null && satisfied.test(w) && w.unconfirmed.remove(dpid)
          && w.unconfirmed.isEmpty()) {
        w.done.complete(null);
        it.remove();
      }
    }
  }

  private static void fix(Wait w, LongFunction<Set<Long>> pendingAt) {
    w.unconfirmed = new HashSet<>(pendingAt.apply(w.version));
    if (w.unconfirmed.isEmpty()) {
      w.done.complete(null);
    }
  }
}
