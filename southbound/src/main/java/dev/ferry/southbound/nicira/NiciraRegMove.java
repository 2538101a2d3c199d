package dev.ferry.southbound.nicira;

import io.netty.buffer.ByteBuf;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFValueType;

/**
 * OVS's {@code move:SRC[]->DST[]}: copies one whole header field into another of the same
 * width (NXAST_REG_MOVE = 6), which OpenFlow 1.3 itself cannot do; with set_field it lets a
 * flow turn a request into its reply (ARP responder, ICMP echo). Encoded as OVS 3.1 encodes it
 * for OpenFlow 1.3 (lib/ofp-actions.c encode_REG_MOVE: NXM headers, not OXM, even in 1.3):
 *
 * <pre>
 * ffff 0018 00002320 0006 n_bits src_ofs=0 dst_ofs=0 src_nxm_header(4) dst_nxm_header(4)
 * </pre>
 *
 * A value (record): equal actions are equal objects.
 */
public record NiciraRegMove(Field src, Field dst) implements NiciraAction {
  static final int NXAST_REG_MOVE = 6;
  private static final int LENGTH = 24;

  /** The fields Ferry moves, with their NXM headers (include/openvswitch/meta-flow.h). */
  public enum Field {
    ETH_DST(0x0000_0206, 48, MatchField.ETH_DST, "NXM_OF_ETH_DST"),
    ETH_SRC(0x0000_0406, 48, MatchField.ETH_SRC, "NXM_OF_ETH_SRC"),
    IPV4_SRC(0x0000_0e04, 32, MatchField.IPV4_SRC, "NXM_OF_IP_SRC"),
    IPV4_DST(0x0000_1004, 32, MatchField.IPV4_DST, "NXM_OF_IP_DST"),
    ARP_SPA(0x0000_2004, 32, MatchField.ARP_SPA, "NXM_OF_ARP_SPA"),
    ARP_TPA(0x0000_2204, 32, MatchField.ARP_TPA, "NXM_OF_ARP_TPA"),
    ARP_SHA(0x0001_2206, 48, MatchField.ARP_SHA, "NXM_NX_ARP_SHA"),
    ARP_THA(0x0001_2406, 48, MatchField.ARP_THA, "NXM_NX_ARP_THA");

    private final int nxmHeader;
    private final int bits;
    private final MatchField<?> matchField;
    private final String nxmName;

    Field(int nxmHeader, int bits, MatchField<?> matchField, String nxmName) {
      this.nxmHeader = nxmHeader;
      this.bits = bits;
      this.matchField = matchField;
      this.nxmName = nxmName;
    }

    public int bits() {
      return bits;
    }

    /** The same field as an OpenFlow match field (for interpreters such as a packet tracer). */
    @SuppressWarnings("unchecked")
    public <F extends OFValueType<F>> MatchField<F> matchField() {
      return (MatchField<F>) matchField;
    }

    public String nxmName() {
      return nxmName;
    }
  }

  public NiciraRegMove {
    if (src == null || dst == null || src.bits != dst.bits || src == dst) {
      throw new IllegalArgumentException("move needs two different fields of one width: " + src + " -> " + dst);
    }
  }

  public static NiciraRegMove move(Field src, Field dst) {
    return new NiciraRegMove(src, dst);
  }

  @Override
  public void writeTo(ByteBuf bb) {
    bb.writeShort(0xffff).writeShort(LENGTH).writeInt(NiciraConntrack.NX_VENDOR_ID).writeShort(NXAST_REG_MOVE);
    bb.writeShort(src.bits).writeShort(0).writeShort(0);
    bb.writeInt(src.nxmHeader).writeInt(dst.nxmHeader);
  }

  /** ovs-ofctl syntax. */
  @Override
  public String toString() {
    return "move:" + src.nxmName + "[]->" + dst.nxmName + "[]";
  }
}
