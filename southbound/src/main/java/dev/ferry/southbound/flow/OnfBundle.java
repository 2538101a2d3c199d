package dev.ferry.southbound.flow;

import com.google.common.hash.PrimitiveSink;
import dev.ferry.southbound.nicira.NiciraWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Objects;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * OpenFlow bundles for OF1.3 switches: the ONF extension (EXT-230) that OVS accepts on 1.3,
 * ONFT_BUNDLE_CONTROL (2300) and ONFT_BUNDLE_ADD_MESSAGE (2301) under the ONF experimenter id
 * 0x4f4e4600, with the OF1.4 bundle bodies. openflowj 3.6 has bundles only for OF1.4+, so the
 * two messages are encoded here; {@link #rewriteReply} turns what a switch answers into
 * messages openflowj reads.
 *
 * <p>Wire layout (checked against {@code ovs-ofctl ofp-print} in tests/southbound):
 * <pre>
 * header(version 4, type 4 EXPERIMENTER, length, xid) experimenter=0x4f4e4600 exp_type
 * 2300: bundle_id u32, type u16 (4 COMMIT_REQUEST, 5 COMMIT_REPLY, ...), flags u16
 * 2301: bundle_id u32, pad u16, flags u16, the inner message (its xid = the outer xid)
 * </pre>
 * A bundle is opened implicitly by its first add (OVS does), so the only reply on success is
 * the commit's.
 */
public final class OnfBundle {
  public static final int ONF_EXPERIMENTER = 0x4f4e4600;
  public static final int BUNDLE_CONTROL = 2300;
  public static final int BUNDLE_ADD_MESSAGE = 2301;
  public static final int COMMIT_REQUEST = 4;
  /** Apply all or nothing, in the order added. */
  public static final int FLAGS_ATOMIC_ORDERED = 0x3;

  private static final int OFP13 = 4;
  private static final int TYPE_ERROR = 1;
  private static final int TYPE_ECHO_REPLY = 3;
  private static final int TYPE_EXPERIMENTER = 4;
  private static final int ERROR_EXPERIMENTER = 0xffff;
  private static final int BAD_REQUEST = 1;
  private static final int BAD_REQUEST_EPERM = 6;

  private OnfBundle() {}

  /** ONFT_BUNDLE_ADD_MESSAGE: {@code inner} becomes part of bundle {@code bundleId}. */
  public static OFMessage add(int bundleId, OFMessage inner) {
    return new Message(0, bundleId, inner);
  }

  /** ONFT_BUNDLE_CONTROL COMMIT_REQUEST: apply bundle {@code bundleId}, atomically and in order. */
  public static OFMessage commit(int bundleId) {
    return new Message(0, bundleId, null);
  }

  /** Whether this is a bundle add carrying a flow-mod (counted as a flow-mod sent). */
  public static boolean addsFlowMod(OFMessage m) {
    return m instanceof Message b && b.inner() != null && b.inner().getType() == OFType.FLOW_MOD;
  }

  /**
   * A frame from an OF1.3 switch, made readable by openflowj: a bundle control reply becomes
   * an ECHO_REPLY of the same xid (nothing waits for it: the barrier after the commit does); an
   * ONF experimenter error (a bundle that failed) becomes a BAD_REQUEST/EPERM error of the same
   * xid carrying the original code and data. Anything else is returned as it is.
   */
  public static ByteBuf rewriteReply(ByteBuf frame) {
    int at = frame.readerIndex();
    if (frame.readableBytes() < 16 || frame.getUnsignedByte(at) != OFP13) {
      return frame;
    }
    int type = frame.getUnsignedByte(at + 1);
    long xid = frame.getUnsignedInt(at + 4);
    int length = frame.getUnsignedShort(at + 2);
    if (type == TYPE_EXPERIMENTER && frame.getInt(at + 8) == ONF_EXPERIMENTER
        && frame.getInt(at + 12) == BUNDLE_CONTROL) {
      ByteBuf out = Unpooled.buffer(length - 8);
      out.writeByte(OFP13).writeByte(TYPE_ECHO_REPLY).writeShort(length).writeInt((int) xid);
      out.writeBytes(frame, at + 8, length - 8);
      return out;
    }
    if (type == TYPE_ERROR && frame.getUnsignedShort(at + 8) == ERROR_EXPERIMENTER
        && frame.getInt(at + 12) == ONF_EXPERIMENTER) {
      // header, type, code, then data = exp_code (2) + experimenter (4) + the original data
      ByteBuf out = Unpooled.buffer(length);
      out.writeByte(OFP13).writeByte(TYPE_ERROR).writeShort(length).writeInt((int) xid);
      out.writeShort(BAD_REQUEST).writeShort(BAD_REQUEST_EPERM);
      out.writeBytes(frame, at + 10, length - 10);
      return out;
    }
    return frame;
  }

  /** One bundle message; {@code inner == null} is the commit. */
  private record Message(long xid, int bundleId, OFMessage inner) implements OFMessage {

    @Override
    public OFVersion getVersion() {
      return OFVersion.OF_13;
    }

    @Override
    public OFType getType() {
      return OFType.EXPERIMENTER;
    }

    @Override
    public long getXid() {
      return xid;
    }

    @Override
    public void writeTo(ByteBuf out) {
      int start = out.writerIndex();
      out.writeByte(OFP13).writeByte(TYPE_EXPERIMENTER).writeShort(0).writeInt((int) xid);
      out.writeInt(ONF_EXPERIMENTER);
      out.writeInt(inner == null ? BUNDLE_CONTROL : BUNDLE_ADD_MESSAGE);
      out.writeInt(bundleId);
      if (inner == null) {
        out.writeShort(COMMIT_REQUEST).writeShort(FLAGS_ATOMIC_ORDERED);
      } else {
        out.writeShort(0).writeShort(FLAGS_ATOMIC_ORDERED);
        // The inner message carries the outer xid (OVS checks it: OFPBFC_MSG_BAD_XID).
        // Through the same hook as a plain message, so a bundled flow-mod gets its rewrites.
        NiciraWire.write(inner.createBuilder().setXid(xid).build(), out);
      }
      out.setShort(start + 2, out.writerIndex() - start);
    }

    @Override
    public boolean equalsIgnoreXid(Object obj) {
      return obj instanceof Message m && m.bundleId == bundleId && Objects.equals(m.inner, inner);
    }

    @Override
    public int hashCodeIgnoreXid() {
      return Objects.hash(bundleId, inner);
    }

    @Override
    public OFMessage.Builder createBuilder() {
      return new BundleBuilder(this);
    }

    @Override
    public void putTo(PrimitiveSink sink) {
      sink.putLong(xid).putInt(bundleId);
      if (inner != null) {
        inner.putTo(sink);
      }
    }
  }

  private static final class BundleBuilder implements OFMessage.Builder {
    private final Message base;
    private long xid;

    BundleBuilder(Message base) {
      this.base = base;
      this.xid = base.xid();
    }

    @Override
    public OFMessage build() {
      return new Message(xid, base.bundleId(), base.inner());
    }

    @Override
    public OFVersion getVersion() {
      return OFVersion.OF_13;
    }

    @Override
    public OFType getType() {
      return OFType.EXPERIMENTER;
    }

    @Override
    public long getXid() {
      return xid;
    }

    @Override
    public OFMessage.Builder setXid(long newXid) {
      this.xid = newXid;
      return this;
    }
  }
}
