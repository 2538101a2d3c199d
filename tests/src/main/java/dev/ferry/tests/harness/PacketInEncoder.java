package dev.ferry.tests.harness;

import io.netty.buffer.ByteBuf;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * Writes packet-ins straight into a pooled buffer: the load side sends hundreds of thousands
 * per second and building openflowj objects for each would cost more than the controller's
 * work. {@code PacketInEncoderTest} checks the bytes against openflowj's decoder.
 */
final class PacketInEncoder {
  private static final int OF10_HEADER = 18;
  private static final int OF13_HEADER = 42;

  private PacketInEncoder() {}

  static void write(ByteBuf out, OFVersion version, long xid, int bufferId, int inPort, byte[] frame) {
    if (version == OFVersion.OF_10) {
      writeOf10(out, xid, bufferId, inPort, frame);
    } else {
      writeOf13(out, xid, bufferId, inPort, frame);
    }
  }

  private static void writeOf10(ByteBuf out, long xid, int bufferId, int inPort, byte[] frame) {
    out.writeByte(1).writeByte(10).writeShort(OF10_HEADER + frame.length).writeInt((int) xid);
    out.writeInt(bufferId).writeShort(frame.length).writeShort(inPort);
    out.writeByte(0).writeByte(0); // reason NO_MATCH, pad
    out.writeBytes(frame);
  }

  private static void writeOf13(ByteBuf out, long xid, int bufferId, int inPort, byte[] frame) {
    out.writeByte(4).writeByte(10).writeShort(OF13_HEADER + frame.length).writeInt((int) xid);
    out.writeInt(bufferId).writeShort(frame.length);
    out.writeByte(0).writeByte(0).writeLong(0); // reason NO_MATCH, table 0, cookie
    // OXM match with in_port only: type 1, length 12, then padding to 16.
    out.writeShort(1).writeShort(12).writeInt(0x80000004).writeInt(inPort).writeInt(0);
    out.writeShort(0); // pad before the frame
    out.writeBytes(frame);
  }
}
