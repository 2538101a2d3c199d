package dev.ferry.southbound.channel;

import io.netty.util.concurrent.EventExecutor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link LoopClock} per event loop, started by the first channel that asks on that loop. */
public final class LoopClocks {
  private final Map<EventExecutor, LoopClock> clocks = new ConcurrentHashMap<>();

  /** The clock of {@code loop}; call on that loop. */
  LoopClock of(EventExecutor loop) {
    return clocks.computeIfAbsent(loop, LoopClock::startOn);
  }

  /** Stall time summed over all loops, readable from any thread (metrics). */
  public long stalledNanos() {
    long sum = 0;
    for (LoopClock clock : clocks.values()) {
      sum += clock.stalledNanos();
    }
    return sum;
  }
}
