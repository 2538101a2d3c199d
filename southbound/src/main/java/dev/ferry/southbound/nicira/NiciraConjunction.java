package dev.ferry.southbound.nicira;

import io.netty.buffer.ByteBuf;

/**
 * OVS's {@code conjunction(id, k/n)} (NXAST_CONJUNCTION = 34): this flow is clause k of n of
 * conjunctive match {@code id}; a packet matching one flow of every clause (at one priority)
 * matches the flow with {@code conj_id=id}. So a rule "from these 10 addresses to these 10
 * ports on these 3 port ranges" is 10 + 10 + 3 flows, not 300. Encoded as OVS 3.1 does
 * (lib/ofp-actions.c encode_CONJUNCTION; the clause is 0-based on the wire):
 *
 * <pre>
 * ffff 0010 00002320 0022 clause(k-1) n_clauses id(4)
 * </pre>
 *
 * Matching {@code conj_id} needs an NXM field openflowj lacks; see {@link ConjunctionId}.
 */
public record NiciraConjunction(long id, int clause, int clauses) implements NiciraAction {
  static final int NXAST_CONJUNCTION = 34;
  private static final int LENGTH = 16;

  public NiciraConjunction {
    if (clauses < 2 || clauses > 64 || clause < 1 || clause > clauses || id < 0 || id > 0xffffffffL) {
      throw new IllegalArgumentException("conjunction(" + id + "," + clause + "/" + clauses + ")");
    }
  }

  @Override
  public void writeTo(ByteBuf bb) {
    bb.writeShort(0xffff).writeShort(LENGTH).writeInt(NiciraConntrack.NX_VENDOR_ID).writeShort(NXAST_CONJUNCTION);
    bb.writeByte(clause - 1).writeByte(clauses).writeInt((int) id);
  }

  /** ovs-ofctl syntax. */
  @Override
  public String toString() {
    return "conjunction(" + id + "," + clause + "/" + clauses + ")";
  }
}
