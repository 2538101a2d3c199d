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
  /** Fixed part (24) + match with in_port only (16) + pad (2); metadata adds 8 to the match. */
  private static final int OF13_HEADER = 42;
  private static final int OF13_METADATA = 8;

  private PacketInEncoder() {}

  static void write(ByteBuf out, OFVersion version, long xid, int bufferId, int inPort, byte[] frame) {
    write(out, version, xid, bufferId, inPort, 0, frame);
  }

  /**
   * @param metadata the OpenFlow metadata the packet-in's match carries (OF1.3), as OVS adds it
   *     when non-zero; 0 = none. OF1.0 has no metadata and ignores it.
   */
  static void write(ByteBuf out, OFVersion version, long xid, int bufferId, int inPort, long metadata,
      byte[] frame) {
    if (version == OFVersion.OF_10) {
      writeOf10(out, xid, bufferId, inPort, frame);
    } else {
      writeOf13(out, xid, bufferId, inPort, metadata, frame);
    }
  }

  private static void writeOf10(ByteBuf out, long xid, int bufferId, int inPort, byte[] frame) {
    out.writeByte(1).writeByte(10).writeShort(OF10_HEADER + frame.length).writeInt((int) xid);
    out.writeInt(bufferId).writeShort(frame.length).writeShort(inPort);
    out.writeByte(0).writeByte(0); // reason NO_MATCH, pad
    out.writeBytes(frame);
  }

  private static void writeOf13(ByteBuf out, long xid, int bufferId, int inPort, long metadata,
      byte[] frame) {
    int extra = metadata == 0 ? 0 : OF13_METADATA;
    out.writeByte(4).writeByte(10).writeShort(OF13_HEADER + extra + frame.length).writeInt((int) xid);
    out.writeInt(bufferId).writeShort(frame.length);
    out.writeByte(0).writeByte(0).writeLong(0); // reason NO_MATCH, table 0, cookie
    if (metadata == 0) {
      // OXM match with in_port only: type 1, length 12, then padding to 16.
      out.writeShort(1).writeShort(12).writeInt(0x80000004).writeInt(inPort).writeInt(0);
    } else {
      // in_port (8) + metadata (4 + 8): length 24, already a multiple of 8.
      out.writeShort(1).writeShort(24).writeInt(0x80000004).writeInt(inPort);
      out.writeInt(0x80000408).writeLong(metadata);
    }
    out.writeShort(0); // pad before the frame
    out.writeBytes(frame);
  }
}
