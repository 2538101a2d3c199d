package dev.ferry.southbound.channel;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The echo keepalive of one channel. Silence is measured on the event loop's {@link LoopClock},
 * so time the controller itself was stalled (GC, a blocked loop) is not counted against the
 * switch. An echo request goes out after each {@code echoInterval} of silence; after
 * {@code deadTimeout} of silence the switch is declared dead, but only once the loop has been
 * through one more I/O pass: bytes that arrived during a stall (an echo reply waiting in the
 * socket buffer) are read before the verdict.
 *
 * <p>Owned by the channel's event loop.
 */
final class Keepalive {
  /** What the keepalive does to its channel. */
  interface Channel {
    void sendEcho();

    void closeSilent(long silentMillis, long stalledMillis);
  }

  private final EventExecutor loop;
  private final LoopClock clock;
  private final long echoNanos;
  private final long deadNanos;
  private final Channel channel;
  private long lastHeard;
  private long stalledAtLastHeard;
  private int echoesSent;
  private boolean verdictPending;
  private ScheduledFuture<?> next;

  Keepalive(EventExecutor loop, LoopClock clock, long echoNanos, long deadNanos, Channel channel) {
    this.loop = loop;
    this.clock = clock;
    this.echoNanos = echoNanos;
    this.deadNanos = deadNanos;
    this.channel = channel;
  }

  void start() {
    heard();
    scheduleIn(echoNanos);
  }

  /** Any message from the switch proves it alive. */
  void heard() {
    lastHeard = clock.runningNanos();
    stalledAtLastHeard = clock.stalledNanos();
    echoesSent = 0;
    verdictPending = false;
  }

  void stop() {
    if (next != null) {
      next.cancel(false);
    }
  }

  private void check() {
    long silence = clock.runningNanos() - lastHeard;
    if (silence >= deadNanos) {
      if (!verdictPending) {
        // Scheduled tasks queued now run after the loop's next I/O pass: read what is pending.
        verdictPending = true;
        scheduleIn(0);
        return;
      }
      channel.closeSilent(TimeUnit.NANOSECONDS.toMillis(silence),
          TimeUnit.NANOSECONDS.toMillis(clock.stalledNanos() - stalledAtLastHeard));
      return;
    }
    verdictPending = false;
    if (silence >= (echoesSent + 1) * echoNanos) {
      channel.sendEcho();
      echoesSent = (int) (silence / echoNanos); // one probe per interval, none to catch up
    }
    scheduleIn(Math.min((echoesSent + 1) * echoNanos, deadNanos) - silence);
  }

  private void scheduleIn(long nanos) {
    next = loop.schedule(this::check, Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }
}
