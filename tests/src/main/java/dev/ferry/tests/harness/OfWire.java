package dev.ferry.tests.harness;

import io.netty.buffer.ByteBuf;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * Byte offsets of the few fields the load path reads without decoding a whole message:
 * the hot path sees one packet-out or flow-mod per packet-in, and a full openflowj decode of
 * each would make the load side, not the controller, the bottleneck.
 */
final class OfWire {
  static final int TYPE_PACKET_OUT = 13;
  static final int TYPE_FLOW_MOD = 14;
  static final int NO_BUFFER = 0xffffffff;

  private OfWire() {}

  static int type(ByteBuf frame) {
    return frame.getUnsignedByte(frame.readerIndex() + 1);
  }

  static int version(ByteBuf frame) {
    return frame.getUnsignedByte(frame.readerIndex());
  }

  static int bufferIdOfPacketOut(ByteBuf frame) {
    return frame.getInt(frame.readerIndex() + 8);
  }

  static int bufferIdOfFlowMod(ByteBuf frame, OFVersion version) {
    // OF1.0: header 8 + match 40 + cookie 8 + command/idle/hard/priority 8; OF1.3: 8+8+8+1+1+2+2+2.
    return frame.getInt(frame.readerIndex() + (version == OFVersion.OF_10 ? 64 : 32));
  }

  /** Offset (absolute) of the packet-out's frame data, after its actions. */
  static int packetOutDataOffset(ByteBuf frame, OFVersion version) {
    int base = frame.readerIndex();
    if (version == OFVersion.OF_10) {
      return base + 16 + frame.getUnsignedShort(base + 14);
    }
    return base + 24 + frame.getUnsignedShort(base + 16);
  }

  static int length(ByteBuf frame) {
    return frame.getUnsignedShort(frame.readerIndex() + 2);
  }
}
