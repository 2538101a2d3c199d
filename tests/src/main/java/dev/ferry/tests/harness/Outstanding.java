package dev.ferry.tests.harness;

/**
 * Packet-ins of one switch still waiting for their answer, at most {@code capacity} (the
 * window). Small, so a linear search beats a hash map and allocates nothing.
 */
final class Outstanding {
  private final long[] keys;
  private final int[] bufferIds;
  private final long[] sentAt;
  private int size;

  Outstanding(int capacity) {
    keys = new long[capacity];
    bufferIds = new int[capacity];
    sentAt = new long[capacity];
  }

  int size() { return size; }

  boolean full() { return size == keys.length; }

  void add(long key, int bufferId, long nowNanos) {
    keys[size] = key;
    bufferIds[size] = bufferId;
    sentAt[size] = nowNanos;
    size++;
  }

  /** Removes the packet-in with this buffer id; returns its send time or -1. */
  long removeByBufferId(int bufferId) {
    for (int i = 0; i < size; i++) {
      if (bufferIds[i] == bufferId) {
        return removeAt(i);
      }
    }
    return -1;
  }

  /** Removes the oldest packet-in with this key; returns its send time or -1. */
  long removeByKey(long key) {
    int found = -1;
    for (int i = 0; i < size; i++) {
      if (keys[i] == key && (found < 0 || sentAt[i] < sentAt[found])) {
        found = i;
      }
    }
    return found < 0 ? -1 : removeAt(found);
  }

  /** Removes the only packet-in (latency mode); returns its send time or -1. */
  long removeSole() {
    return size == 1 ? removeAt(0) : -1;
  }

  /** Drops packet-ins sent before {@code cutoffNanos}; returns how many. */
  int expire(long cutoffNanos) {
    int dropped = 0;
    for (int i = size - 1; i >= 0; i--) {
      if (sentAt[i] < cutoffNanos) {
        removeAt(i);
        dropped++;
      }
    }
    return dropped;
  }

  private long removeAt(int i) {
    long t = sentAt[i];
    size--;
    keys[i] = keys[size];
    bufferIds[i] = bufferIds[size];
    sentAt[i] = sentAt[size];
    return t;
  }
}
