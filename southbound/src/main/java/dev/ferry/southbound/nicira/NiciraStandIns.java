package dev.ferry.southbound.nicira;

import com.google.common.hash.Hashing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.CorruptedFrameException;
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
  private static final int FLOW_MOD = 14;
  private static final int MULTIPART_REPLY = 19;
  private static final int MULTIPART_FLOW = 1;
  private static final int FLOW_STATS_FIXED = 48;
  private static final int WRITE_ACTIONS = 3;
  private static final int APPLY_ACTIONS = 4;
  private static final int NXAST_DEC_TTL = 18;
  private static final int BSN_ID = 0x5c16c7;
  private static final int BSN_CHECKSUM = 4;
  private static final int STAND_IN_LENGTH = 28;
  private static final int MATCH_HEADER = 4;
  private static final int INSTRUCTION_HEADER = 4;
  private static final int ACTIONS_INSTRUCTION_HEADER = 8;
  private static final int ACTION_HEADER = 8;
  private static final int MAX_MESSAGE = 0xFFFF;

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

  /**
   * The frame itself when nothing needs replacing, else a rewritten copy. Total over untrusted
   * bytes: every length read from the message is checked against its header size and the bytes
   * that remain, so each loop advances by at least a header and nothing is allocated beyond the
   * frame's own size (plus the stand-ins' growth, capped at OpenFlow's 64 KiB).
   *
   * @throws CorruptedFrameException when a flow stats reply holding a Nicira action has a
   *     length below its header size or past the bytes that remain
   */
  public static ByteBuf rewrite(ByteBuf frame) {
    int at = frame.readerIndex();
    if (frame.readableBytes() < 16 || frame.getUnsignedByte(at) != OFP13
        || frame.getUnsignedByte(at + 1) != MULTIPART_REPLY
        || frame.getUnsignedShort(at + 8) != MULTIPART_FLOW) {
      return frame;
    }
    int end = at + frame.getUnsignedShort(at + 2);
    if (end != frame.writerIndex()) {
      throw malformed("message length " + (end - at) + " but " + frame.readableBytes() + " bytes");
    }
    for (int entry = at + 16; entry < end; ) {
      int length = lengthAt(frame, entry, 0, FLOW_STATS_FIXED + MATCH_HEADER, end, "flow stats entry");
      ConjunctionId.fromWire(frame, entry + FLOW_STATS_FIXED, entry + length);
      entry += length;
    }
    if (!hasForeign(frame, at + 16, end)) {
      return frame;
    }
    ByteBuf out = Unpooled.buffer(frame.readableBytes());
    out.writeBytes(frame, at, 16);
    for (int entry = at + 16; entry < end; ) {
      int length = lengthAt(frame, entry, 0, FLOW_STATS_FIXED + MATCH_HEADER, end, "flow stats entry");
      copyEntry(frame, entry, length, 0, out);
      entry += length;
    }
    setLength(out, 0, 2, out.writerIndex(), "message");
    frame.skipBytes(frame.readableBytes());
    return out;
  }

  private static boolean hasForeign(ByteBuf frame, int from, int end) {
    for (int i = from; i + 10 <= end; i++) {
      if (frame.getUnsignedShort(i) == 0xffff && frame.getInt(i + 4) == NiciraConntrack.NX_VENDOR_ID
          && frame.getUnsignedShort(i + 8) != NXAST_DEC_TTL) {
        return true;
      }
    }
    return false;
  }

  /**
   * The same rewrite for a flow-mod (what a switch, or an emulated one, receives): a flow-mod's
   * match and instructions sit at the same offset as a flow stats entry's, so one copy serves
   * both; only the length field differs (the message header's).
   *
   * @throws CorruptedFrameException on a length below its header size or past the bytes left
   */
  public static ByteBuf rewriteFlowMod(ByteBuf frame) {
    int at = frame.readerIndex();
    if (frame.readableBytes() < FLOW_STATS_FIXED + MATCH_HEADER || frame.getUnsignedByte(at) != OFP13
        || frame.getUnsignedByte(at + 1) != FLOW_MOD) {
      return frame;
    }
    int end = at + frame.getUnsignedShort(at + 2);
    if (end != frame.writerIndex()) {
      throw malformed("message length " + (end - at) + " but " + frame.readableBytes() + " bytes");
    }
    ConjunctionId.fromWire(frame, at + FLOW_STATS_FIXED, end);
    if (!hasForeign(frame, at + FLOW_STATS_FIXED, end)) {
      return frame;
    }
    ByteBuf out = Unpooled.buffer(frame.readableBytes());
    copyEntry(frame, at, end - at, 2, out);
    frame.skipBytes(frame.readableBytes());
    return out;
  }

  private static void copyEntry(ByteBuf in, int entry, int length, int lengthOffset, ByteBuf out) {
    int start = out.writerIndex();
    int entryEnd = entry + length;
    int matchLength = lengthAt(in, entry + FLOW_STATS_FIXED, 2, MATCH_HEADER, entryEnd, "match");
    int instructions = entry + FLOW_STATS_FIXED + (matchLength + 7) / 8 * 8;
    if (instructions > entryEnd) {
      throw malformed("match padding past its flow stats entry");
    }
    out.writeBytes(in, entry, instructions - entry);
    for (int i = instructions; i < entryEnd; ) {
      int instructionLength = lengthAt(in, i, 2, INSTRUCTION_HEADER, entryEnd, "instruction");
      int type = in.getUnsignedShort(i);
      if (type == APPLY_ACTIONS || type == WRITE_ACTIONS) {
        if (instructionLength < ACTIONS_INSTRUCTION_HEADER) {
          throw malformed("actions instruction of length " + instructionLength);
        }
        copyActions(in, i, instructionLength, out);
      } else {
        out.writeBytes(in, i, instructionLength);
      }
      i += instructionLength;
    }
    setLength(out, start, lengthOffset, out.writerIndex() - start, "flow stats entry");
  }

  private static void copyActions(ByteBuf in, int instruction, int length, ByteBuf out) {
    int start = out.writerIndex();
    int instructionEnd = instruction + length;
    out.writeBytes(in, instruction, ACTIONS_INSTRUCTION_HEADER);
    for (int a = instruction + ACTIONS_INSTRUCTION_HEADER; a < instructionEnd; ) {
      int actionLength = lengthAt(in, a, 2, ACTION_HEADER, instructionEnd, "action");
      if (isForeign(in, a, actionLength)) {
        byte[] original = new byte[actionLength];
        in.getBytes(a, original);
        out.writeShort(0xffff).writeShort(STAND_IN_LENGTH).writeInt(BSN_ID).writeInt(BSN_CHECKSUM)
            .writeBytes(digestBytes(original));
      } else {
        out.writeBytes(in, a, actionLength);
      }
      if (out.writerIndex() > MAX_MESSAGE) {
        throw malformed("stand-ins would make the message longer than 65535 bytes");
      }
      a += actionLength;
    }
    setLength(out, start, 2, out.writerIndex() - start, "instruction");
  }

  /**
   * The 16-bit length at {@code at + offset} of the structure that starts at {@code at}: at
   * least {@code min} (its header), and not past {@code end}, the end of what encloses it.
   */
  private static int lengthAt(ByteBuf in, int at, int offset, int min, int end, String what) {
    int room = end - at;
    if (room < offset + 2) {
      throw malformed(what + " header cut short: " + room + " bytes left");
    }
    int length = in.getUnsignedShort(at + offset);
    if (length < min || length > room) {
      throw malformed(what + " length " + length + " outside [" + min + ", " + room + "]");
    }
    return length;
  }

  private static void setLength(ByteBuf out, int start, int offset, int length, String what) {
    if (length > MAX_MESSAGE) {
      throw malformed(what + " would be longer than 65535 bytes after rewriting");
    }
    out.setShort(start + offset, length);
  }

  private static CorruptedFrameException malformed(String why) {
    return new CorruptedFrameException("malformed flow stats reply: " + why);
  }

  private static boolean isForeign(ByteBuf in, int action, int length) {
    return length >= 10 && in.getUnsignedShort(action) == 0xffff && in.getInt(action + 4) == NiciraConntrack.NX_VENDOR_ID
        && in.getUnsignedShort(action + 8) != NXAST_DEC_TTL;
  }
}
