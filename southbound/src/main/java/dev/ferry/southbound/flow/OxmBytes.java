package dev.ferry.southbound.flow;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMatchV3;
import org.projectfloodlight.openflow.protocol.OFOxmList;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.OFMessageReader;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;

/**
 * A match as the OXM TLVs OpenFlow 1.3 puts on the wire (without the match header and padding):
 * about 40 bytes where openflowj's object graph costs about 500. openflowj keeps a match's
 * fields in an EnumMap and writes them in enum order, so equal matches give equal bytes.
 */
final class OxmBytes {
  private static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);
  private static final OFMessageReader<OFOxm<?>> OXM_READER = OF13.oxms().getReader();
  private static final int MATCH_HEADER = 4;

  private OxmBytes() {}

  static byte[] of(Match match) {
    if (!(match instanceof OFMatchV3)) {
      throw new IllegalArgumentException("OpenFlow 1.3 (OXM) match expected: " + match);
    }
    ByteBuf buf = Unpooled.buffer(64);
    try {
      match.writeTo(buf);
      int length = buf.getUnsignedShort(2); // excludes the padding
      byte[] oxms = new byte[length - MATCH_HEADER];
      buf.getBytes(MATCH_HEADER, oxms);
      return oxms;
    } finally {
      buf.release();
    }
  }

  /** A new openflowj match of these OXMs. */
  static Match match(byte[] oxms) {
    ByteBuf buf = Unpooled.wrappedBuffer(oxms);
    try {
      OFOxmList list = OFOxmList.readFrom(buf, oxms.length, OXM_READER);
      return OF13.matchV3(list);
    } catch (OFParseError e) {
      // the bytes came from openflowj's own writer, so this is a bug, not bad input
      throw new IllegalStateException("cannot decode a stored match", e);
    }
  }
}
