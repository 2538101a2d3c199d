package dev.ferry.southbound.nicira;

import com.google.common.hash.PrimitiveSink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.projectfloodlight.openflow.protocol.OFActionType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;

/**
 * A Nicira experimenter action Ferry encodes itself because openflowj lacks it. Switches send
 * such actions back in flow stats, where {@link NiciraStandIns} replaces them with a digest of
 * their bytes; {@link #digest()} is the same digest of this action, so the reconciler's
 * canonical form compares what was sent with what was read back.
 */
public interface NiciraAction extends OFAction {
  /** The bytes as sent on the wire. */
  default byte[] bytes() {
    ByteBuf bb = Unpooled.buffer();
    writeTo(bb);
    byte[] out = new byte[bb.readableBytes()];
    bb.readBytes(out);
    return out;
  }

  /** The digest the reconciler compares (see {@link NiciraStandIns}). */
  default String digest() {
    return NiciraStandIns.digest(bytes());
  }

  @Override
  default OFActionType getType() {
    return OFActionType.EXPERIMENTER;
  }

  @Override
  default OFVersion getVersion() {
    return OFVersion.OF_13;
  }

  @Override
  default Builder createBuilder() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " is immutable; build a new one");
  }

  @Override
  default void putTo(PrimitiveSink sink) {
    sink.putBytes(bytes());
  }
}
