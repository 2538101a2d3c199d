package dev.ferry.tests.harness;

/**
 * One packet-in the load side sends: the Ethernet frame, the port it "arrived" on, the key a
 * response is matched by (see {@link ProbeKeys}), and whether the controller must answer it.
 */
public record Probe(byte[] frame, int inPort, long key, boolean expectsAnswer) {}
