package dev.ferry.southbound.nicira;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Hand-made OpenFlow 1.3 flow stats replies with a Nicira ct action in them (so the stand-in
 * rewrite runs), one length field set as an attacker likes. The well-formed one is 96 bytes:
 * header 16, entry 48 + match 8 + apply-actions 8 + ct action 16.
 */
public final class CraftedFlowStats {
  public static final int WELL_FORMED = -1;

  private CraftedFlowStats() {}

  /** Which length to forge. */
  public enum Forged { NONE, ENTRY, MATCH, INSTRUCTION, ACTION }

  public static ByteBuf reply(long xid, Forged forged, int value, boolean more) {
    ByteBuf b = Unpooled.buffer();
    b.writeByte(4).writeByte(19).writeShort(96).writeInt((int) xid);
    b.writeShort(1).writeShort(more ? 1 : 0).writeInt(0);
    // flow stats entry
    b.writeShort(forged == Forged.ENTRY ? value : 80).writeByte(0).writeByte(0);
    b.writeInt(1).writeInt(0).writeShort(100).writeShort(0).writeShort(0).writeShort(0).writeInt(0);
    b.writeLong(0).writeLong(0).writeLong(0);
    // empty OXM match
    b.writeShort(1).writeShort(forged == Forged.MATCH ? value : 4).writeInt(0);
    // apply actions holding ct(zone=7)
    b.writeShort(4).writeShort(forged == Forged.INSTRUCTION ? value : 24).writeInt(0);
    b.writeShort(0xffff).writeShort(forged == Forged.ACTION ? value : 16)
        .writeInt(NiciraConntrack.NX_VENDOR_ID).writeShort(35).writeShort(0).writeInt(0x0007_0000);
    return b;
  }

  public static byte[] bytes(Forged forged, int value) {
    ByteBuf b = reply(1, forged, value, false);
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    return out;
  }
}
