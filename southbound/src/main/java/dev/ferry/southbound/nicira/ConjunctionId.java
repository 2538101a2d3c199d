package dev.ferry.southbound.nicira;

import io.netty.buffer.ByteBuf;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.VRF;

/**
 * The {@code conj_id} match (NXM_NX_CONJ_ID, class 0x0001 field 37, 32 bits: header 0x00014a04 as ovs-ofctl sends it), which openflowj
 * 3.6 cannot build or read. Ferry spells it in openflowj as the 32-bit BSN VRF field (never
 * used by OVS or Ferry otherwise) and swaps the OXM header on the wire: {@link #toWire} on
 * every flow-mod sent (from {@link NiciraWire}), {@link #fromWire} on flow stats read back (from {@link NiciraStandIns}),
 * so the reconciler compares what it sent with what it reads.
 */
public final class ConjunctionId {
  /** The match field that stands for conj_id in openflowj. */
  public static final MatchField<VRF> FIELD = MatchField.BSN_VRF;
  static final int STAND_IN_HEADER = 0x0003_0404;
  static final int CONJ_ID_HEADER = 0x0001_4a04;
  private static final int OFP13 = 4;
  private static final int FLOW_MOD = 14;
  private static final int MATCH_AT = 48;

  private ConjunctionId() {}

  public static VRF of(long id) {
    return VRF.of((int) id);
  }

  /** In place, on one encoded OF1.3 flow-mod starting at {@code at}: stand-in -> conj_id. */
  static void toWire(ByteBuf out, int at) {
    if (out.writerIndex() - at >= MATCH_AT + 4 && out.getUnsignedByte(at) == OFP13
        && out.getUnsignedByte(at + 1) == FLOW_MOD) {
      swap(out, at + MATCH_AT, out.writerIndex(), STAND_IN_HEADER, CONJ_ID_HEADER);
    }
  }

  /** In place, on one OXM match (type, length, OXMs) at {@code match}: conj_id -> stand-in. */
  static void fromWire(ByteBuf frame, int match, int end) {
    swap(frame, match, end, CONJ_ID_HEADER, STAND_IN_HEADER);
  }

  static void swap(ByteBuf buf, int match, int end, int from, int to) {
    if (match + 4 > end) {
      return;
    }
    int matchEnd = Math.min(end, match + buf.getUnsignedShort(match + 2));
    for (int oxm = match + 4; oxm + 4 <= matchEnd; ) {
      int header = buf.getInt(oxm);
      if (header == from) {
        buf.setInt(oxm, to);
      }
      oxm += 4 + (header & 0xff);
    }
  }
}
