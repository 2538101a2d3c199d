package dev.ferry.southbound.channel;

import com.google.common.util.concurrent.RateLimiter;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.Logger;

/**
 * Warnings caused by what a peer sends, at most a few per second over all channels: anyone who
 * can reach the OpenFlow port can open connections by the thousand, and must not be able to
 * fill the disk or drown the log. Lines over the rate are counted and the count is reported by
 * the next line that gets through.
 */
final class RateLimitedLog {
  private final Logger log;
  private final RateLimiter limiter;
  private final AtomicLong suppressed = new AtomicLong();

  RateLimitedLog(Logger log, double linesPerSecond) {
    this.log = log;
    this.limiter = RateLimiter.create(linesPerSecond);
  }

  void warn(String format, Object... args) {
    if (!limiter.tryAcquire()) {
      suppressed.incrementAndGet();
      return;
    }
    long dropped = suppressed.getAndSet(0);
    if (dropped > 0) {
      log.warn("({} similar warnings suppressed)", dropped);
    }
    log.warn(format, args);
  }
}
