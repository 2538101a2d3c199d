package dev.ferry.apps.pipeline;

import org.projectfloodlight.openflow.types.OFMetadata;
import org.projectfloodlight.openflow.types.U64;

/**
 * The layout of the OpenFlow metadata register on br-int.
 *
 * <p>Bits 0-23 hold the network, and the network is written as its VNI: VNIs are unique across
 * all tenants, fit in 24 bits, and are the same on every host, so the value is stable across
 * compiles and hosts, needs no allocator, and a packet-in's metadata names the network
 * directly. Bit 32 marks packets that came in from the VXLAN tunnel, so that L2 forwarding
 * never sends them back into it (split horizon).
 */
public final class NetworkMetadata {
  public static final long NETWORK_MASK = 0xFF_FFFFL;
  public static final long FROM_TUNNEL = 1L << 32;
  /** Every bit Ferry writes; write_metadata uses it so unrelated bits stay untouched. */
  public static final long WRITE_MASK = NETWORK_MASK | FROM_TUNNEL;
  /** Bit 39: a security group rule allowed this new connection; commit it (set by egress_acl/ingress_acl). */
  public static final long COMMIT = 1L << 39;
  /** Bits 40-63: which rule (its mark), copied into the connection's ct_mark on commit. */
  public static final int RULE_SHIFT = 40;
  public static final int RULE_BITS = 24;
  public static final long RULE_MASK = 0xFF_FFFFL << RULE_SHIFT;

  private NetworkMetadata() {}

  public static long of(int vni) {
    if (vni <= 0 || vni > NETWORK_MASK) {
      throw new IllegalArgumentException("VNI out of range 1..2^24-1: " + vni);
    }
    return vni;
  }

  /** The network (VNI) a packet-in's metadata names. */
  public static int vniOf(long metadata) {
    return (int) (metadata & NETWORK_MASK);
  }

  public static boolean fromTunnel(long metadata) {
    return (metadata & FROM_TUNNEL) != 0;
  }

  static OFMetadata raw(long value) {
    return OFMetadata.of(U64.of(value));
  }
}
