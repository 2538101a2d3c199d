package dev.ferry.southbound.channel;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The time one event loop was able to run: wall time minus the time it was stalled (a GC pause,
 * a blocked or overloaded loop, a descheduled process). A tick on the loop measures its own
 * lateness every {@link #TICK_NANOS}; lateness beyond {@link #GRACE_NANOS} counts as stalled.
 * A read silence measured on this clock is silence the controller could have heard, so a switch
 * is never blamed for the controller's own pause.
 *
 * <p>Owned by its event loop: every method runs on that loop's thread.
 */
public final class LoopClock {
  static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  /** Ordinary scheduling jitter, not a stall. */
  static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final EventExecutor loop;
  private volatile long stalledNanos;
  private volatile long nextTickDue;

  private LoopClock(EventExecutor loop) {
    this.loop = loop;
    this.nextTickDue = System.nanoTime() + TICK_NANOS;
  }

  /** A clock ticking on {@code loop}; call on that loop. */
  static LoopClock startOn(EventExecutor loop) {
    LoopClock clock = new LoopClock(loop);
    clock.schedule();
    return clock;
  }

  private void schedule() {
    try {
      loop.schedule(this::tick, TICK_NANOS, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException shuttingDown) {
      // the loop is going away with its channels: nothing left to measure
    }
  }

  private void tick() {
    long now = System.nanoTime();
    stalledNanos += lateness(now);
    nextTickDue = now + TICK_NANOS;
    if (!loop.isShuttingDown()) {
      schedule();
    }
  }

  /** An overdue tick means the loop is stalled right now, even before the tick gets to run. */
  private long lateness(long now) {
    return Math.max(0, now - nextTickDue - GRACE_NANOS);
  }

  /** Nanoseconds this loop was able to run, on an arbitrary origin; never decreases. */
  public long runningNanos() {
    long now = System.nanoTime();
    return now - stalledNanos - lateness(now);
  }

  /** Nanoseconds this loop was stalled since the clock started, including a stall in progress. */
  public long stalledNanos() {
    return stalledNanos + lateness(System.nanoTime());
  }
}
