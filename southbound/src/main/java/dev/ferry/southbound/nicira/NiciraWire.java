package dev.ferry.southbound.nicira;

import io.netty.buffer.ByteBuf;
import org.projectfloodlight.openflow.protocol.OFMessage;

/**
 * The one place a message Ferry sends becomes bytes: openflowj's encoding, then the rewrites
 * for the Nicira fields openflowj lacks ({@link ConjunctionId}). The channel encoder and the
 * bundle add both write through here, so a flow-mod reads the same on the wire however it is
 * sent. The read side is {@link NiciraStandIns}.
 */
public final class NiciraWire {
  private NiciraWire() {}

  /** Appends {@code message} to {@code out} as the switch must read it. */
  public static void write(OFMessage message, ByteBuf out) {
    int at = out.writerIndex();
    message.writeTo(out);
    ConjunctionId.toWire(out, at);
  }
}
