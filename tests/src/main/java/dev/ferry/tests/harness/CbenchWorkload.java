package dev.ferry.tests.harness;

import java.util.SplittableRandom;

/**
 * cbench's packet-ins: a random unicast source MAC per probe, destination from a pool of
 * hosts the controller learned first (the first {@code poolSize} probes announce the pool as
 * sources, each on its own port), buffered, so a learning controller answers each with one
 * flow-mod or packet-out carrying the buffer id.
 */
public final class CbenchWorkload implements Workload {
  private final SwitchDescription sw;
  private final long[] pool;
  private int announced;

  public CbenchWorkload(SwitchDescription sw, int poolSize) {
    this.sw = sw;
    this.pool = new long[poolSize];
    for (int i = 0; i < poolSize; i++) {
      pool[i] = 0x0a0000000000L | (sw.dpid() & 0xffffL) << 24 | i;
    }
  }

  public static Factory factory(int poolSize) {
    return sw -> new CbenchWorkload(sw, poolSize);
  }

  @Override
  public boolean usesBufferIds() { return true; }

  @Override
  public Probe next(SplittableRandom random) {
    if (announced < pool.length) {
      int i = announced++;
      return probe(Frames.udp(pool[(i + 1) % pool.length], pool[i]), portOf(i));
    }
    int d = random.nextInt(pool.length);
    long src = (random.nextLong() & 0xfeffffffffffL) | 0x020000000000L; // unicast, local
    return probe(Frames.udp(pool[d], src), otherPort(portOf(d), random));
  }

  private Probe probe(byte[] frame, int inPort) {
    return new Probe(frame, inPort, ProbeKeys.of(frame), true);
  }

  private int portOf(int poolIndex) {
    return poolIndex % sw.portCount() + 1;
  }

  /** A port other than the destination's, so a learning switch does not drop the packet. */
  private int otherPort(int dstPort, SplittableRandom random) {
    if (sw.portCount() == 1) {
      return 1;
    }
    int p = random.nextInt(sw.portCount() - 1) + 1;
    return p >= dstPort ? p + 1 : p;
  }
}
