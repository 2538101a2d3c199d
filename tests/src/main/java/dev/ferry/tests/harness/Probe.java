package dev.ferry.tests.harness;

/**
 * One packet-in the load side sends: the Ethernet frame, the port it "arrived" on, the
 * OpenFlow metadata its match carries (0 = none), the key a
 * response is matched by (see {@link ProbeKeys}), and whether the controller must answer it.
 */
public record Probe(byte[] frame, int inPort, long metadata, long key, boolean expectsAnswer) {
  /** A probe whose packet-in carries no metadata. */
  public Probe(byte[] frame, int inPort, long key, boolean expectsAnswer) {
    this(frame, inPort, 0, key, expectsAnswer);
  }
}
