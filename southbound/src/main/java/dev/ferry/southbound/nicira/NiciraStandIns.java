package dev.ferry.southbound.nicira;

import com.google.common.hash.Hashing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.HexFormat;
import org.projectfloodlight.openflow.protocol.action.OFActionBsnChecksum;
import org.projectfloodlight.openflow.types.U128;

/**
 * openflowj 3.6 cannot parse Nicira actions other than dec_ttl: a flow stats reply holding a
 * {@code ct(...)} would fail to decode as a whole, and the reconciler could never read Ferry's
 * NAT flows back. Before decoding, {@link #rewrite} replaces each such action in a flow stats
 * reply with a stand-in openflowj reads, a BSN "checksum" action (never used by OVS or Ferry)
 * carrying a 128-bit digest of the original action's bytes, and fixes the lengths around it.
 * The canonical form compares stand-ins and {@link NiciraConntrack}s by that digest, so a flow
 * the switch holds as sent compares equal and is left alone.
 */
public final class NiciraStandIns {
  private static final int OFP13 = 4;
  private static final int MULTIPART_REPLY = 19;
  private static final int MULTIPART_FLOW = 1;
  private static final int FLOW_STATS_FIXED = 48;
  private static final int WRITE_ACTIONS = 3;
  private static final int APPLY_ACTIONS = 4;
  private static final int NXAST_DEC_TTL = 18;
  private static final int BSN_ID = 0x5c16c7;
  private static final int BSN_CHECKSUM = 4;
  private static final int STAND_IN_LENGTH = 28;

  private NiciraStandIns() {}

  /** "nx:" and the hex digest of one encoded action. */
  public static String digest(byte[] actionBytes) {
    return "nx:" + HexFormat.of().formatHex(digestBytes(actionBytes));
  }

  /** The digest a stand-in carries, as {@link #digest} spells it. */
  public static String digestOf(OFActionBsnChecksum standIn) {
    U128 c = standIn.getChecksum();
    return "nx:" + String.format("%016x%016x", c.getMsb(), c.getLsb());
  }

  private static byte[] digestBytes(byte[] actionBytes) {
    return Arrays.copyOf(Hashing.sha256().hashBytes(actionBytes).asBytes(), 16);
  }

  /** The frame itself when nothing needs replacing, else a rewritten copy. */
  public static ByteBuf rewrite(ByteBuf frame) {
    int at = frame.readerIndex();
    if (frame.readableBytes() < 16 || frame.getUnsignedByte(at) != OFP13
        || frame.getUnsignedByte(at + 1) != MULTIPART_REPLY
        || frame.getUnsignedShort(at + 8) != MULTIPART_FLOW || !hasForeign(frame)) {
      return frame;
    }
    ByteBuf out = Unpooled.buffer(frame.readableBytes());
    out.writeBytes(frame, at, 16);
    int end = at + frame.getUnsignedShort(at + 2);
    for (int entry = at + 16; entry < end; ) {
      int length = frame.getUnsignedShort(entry);
      copyEntry(frame, entry, length, out);
      entry += length;
    }
    out.setShort(2, out.writerIndex());
    frame.skipBytes(frame.readableBytes());
    return out;
  }

  private static boolean hasForeign(ByteBuf frame) {
    int at = frame.readerIndex();
    int end = at + frame.getUnsignedShort(at + 2);
    for (int i = at + 16; i + 10 <= end; i++) {
      if (frame.getUnsignedShort(i) == 0xffff && frame.getInt(i + 4) == NiciraConntrack.NX_VENDOR_ID
          && frame.getUnsignedShort(i + 8) != NXAST_DEC_TTL) {
        return true;
      }
    }
    return false;
  }

  private static void copyEntry(ByteBuf in, int entry, int length, ByteBuf out) {
    int start = out.writerIndex();
    int matchLength = in.getUnsignedShort(entry + FLOW_STATS_FIXED + 2);
    int instructions = entry + FLOW_STATS_FIXED + (matchLength + 7) / 8 * 8;
    out.writeBytes(in, entry, instructions - entry);
    for (int i = instructions; i < entry + length; ) {
      int type = in.getUnsignedShort(i);
      int instructionLength = in.getUnsignedShort(i + 2);
      if (type == APPLY_ACTIONS || type == WRITE_ACTIONS) {
        copyActions(in, i, instructionLength, out);
      } else {
        out.writeBytes(in, i, instructionLength);
      }
      i += instructionLength;
    }
    out.setShort(start, out.writerIndex() - start);
  }

  private static void copyActions(ByteBuf in, int instruction, int length, ByteBuf out) {
    int start = out.writerIndex();
    out.writeBytes(in, instruction, 8);
    for (int a = instruction + 8; a < instruction + length; ) {
      int actionLength = in.getUnsignedShort(a + 2);
      if (isForeign(in, a)) {
        byte[] original = new byte[actionLength];
        in.getBytes(a, original);
        out.writeShort(0xffff).writeShort(STAND_IN_LENGTH).writeInt(BSN_ID).writeInt(BSN_CHECKSUM)
            .writeBytes(digestBytes(original));
      } else {
        out.writeBytes(in, a, actionLength);
      }
      a += actionLength;
    }
    out.setShort(start + 2, out.writerIndex() - start);
  }

  private static boolean isForeign(ByteBuf in, int action) {
    return in.getUnsignedShort(action) == 0xffff && in.getInt(action + 4) == NiciraConntrack.NX_VENDOR_ID
        && in.getUnsignedShort(action + 8) != NXAST_DEC_TTL;
  }
}
