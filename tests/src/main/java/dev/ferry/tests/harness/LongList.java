package dev.ferry.tests.harness;

import java.util.Arrays;

/** A growable list of primitive longs (latency samples) without boxing. */
final class LongList {
  private long[] values = new long[1024];
  private int size;

  void add(long v) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = v;
  }

  int size() { return size; }

  long[] toArray() { return Arrays.copyOf(values, size); }

  void clear() { size = 0; }
}
