package dev.ferry.southbound.nicira;

import io.netty.buffer.ByteBuf;

/**
 * {@code move:SRC[a..b]->DST[c..d]} on bit ranges (NXAST_REG_MOVE = 6, as {@link NiciraRegMove}
 * but with offsets): Ferry uses it inside {@code ct(commit,exec(...))} to copy the rule that
 * allowed a connection from metadata into its ct_mark, so one commit flow per port serves
 * every rule.
 *
 * <pre>
 * ffff 0018 00002320 0006 n_bits src_ofs dst_ofs src_header(4) dst_header(4)
 * </pre>
 */
public record NiciraFieldMove(BitField src, int srcOfs, BitField dst, int dstOfs, int bits) implements NiciraAction {
  private static final int LENGTH = 24;

  /** Fields moved by bit range, with the headers OVS encodes them with in OpenFlow 1.3. */
  public enum BitField {
    METADATA(0x8000_0408, 64, "OXM_OF_METADATA"),
    CT_MARK(0x0001_d604, 32, "NXM_NX_CT_MARK");

    private final int header;
    private final int width;
    private final String ovsName;

    BitField(int header, int width, String ovsName) {
      this.header = header;
      this.width = width;
      this.ovsName = ovsName;
    }
  }

  public NiciraFieldMove {
    if (bits < 1 || srcOfs < 0 || dstOfs < 0 || srcOfs + bits > src.width || dstOfs + bits > dst.width) {
      throw new IllegalArgumentException("bit range out of field: " + src + "[" + srcOfs + "+" + bits + "] -> "
          + dst + "[" + dstOfs + "]");
    }
  }

  @Override
  public void writeTo(ByteBuf bb) {
    bb.writeShort(0xffff).writeShort(LENGTH).writeInt(NiciraConntrack.NX_VENDOR_ID)
        .writeShort(NiciraRegMove.NXAST_REG_MOVE);
    bb.writeShort(bits).writeShort(srcOfs).writeShort(dstOfs);
    bb.writeInt(src.header).writeInt(dst.header);
  }

  @Override
  public String toString() {
    return "move:" + src.ovsName + "[" + srcOfs + ".." + (srcOfs + bits - 1) + "]->" + dst.ovsName
        + "[" + dstOfs + ".." + (dstOfs + bits - 1) + "]";
  }
}
