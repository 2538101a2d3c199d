package dev.ferry.southbound.channel;

import java.util.concurrent.atomic.AtomicLong;

/** Hands out blocks of consecutive transaction ids (32-bit, never 0, never wrapping a block). */
final class XidAllocator {
  private static final long MAX_XID = 0xFFFF_FFFFL;
  private final AtomicLong next = new AtomicLong(1);

  /** Reserves {@code count} consecutive xids and returns the first. */
  long reserve(int count) {
    while (true) {
      long start = next.get();
      long begin = start + count - 1 > MAX_XID ? 1 : start;
      if (next.compareAndSet(start, begin + count)) {
        return begin;
      }
    }
  }
}
