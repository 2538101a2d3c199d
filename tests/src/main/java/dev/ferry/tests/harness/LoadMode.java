package dev.ferry.tests.harness;

/** cbench's two modes. */
public enum LoadMode {
  /** Packet-ins at full rate, at most {@code window} unanswered per switch. */
  THROUGHPUT,
  /** One unanswered packet-in per switch: the next leaves when the last is answered. */
  LATENCY
}
