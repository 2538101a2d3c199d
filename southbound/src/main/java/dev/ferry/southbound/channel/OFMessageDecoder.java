package dev.ferry.southbound.channel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMessageReader;

/**
 * Decodes one framed OpenFlow message (any version, so a foreign HELLO can be answered).
 * Malformed bytes raise an exception, which closes this channel only.
 */
public final class OFMessageDecoder extends MessageToMessageDecoder<ByteBuf> {
  private static final OFMessageReader<OFMessage> READER = OFFactories.getGenericReader();
  private static final org.apache.logging.log4j.Logger LOG =
      org.apache.logging.log4j.LogManager.getLogger(OFMessageDecoder.class);
  /** OFPT_EXPERIMENTER (OpenFlow 1.1+; OFPT_VENDOR in 1.0): the same number. */
  private static final int EXPERIMENTER = 4;

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out)
      throws OFParseError {
    int type = frame.readableBytes() > 1 ? frame.getUnsignedByte(frame.readerIndex() + 1) : -1;
    OFMessage message;
    try {
      // Nicira actions openflowj cannot parse (Ferry's ct/nat flows read back) become stand-ins.
      message = READER.readFrom(dev.ferry.southbound.nicira.NiciraStandIns.rewrite(frame));
    } catch (OFParseError e) {
      if (type == EXPERIMENTER) {
        // A well-formed extension Ferry does not know (e.g. OVS's ONF role-status notice to a
        // controller that was just made SLAVE): OpenFlow lets a controller ignore it.
        frame.skipBytes(frame.readableBytes());
        LOG.debug("ignoring an experimenter message openflowj cannot read: {}", e.getMessage());
        return;
      }
      throw e;
    }
    if (message == null) {
      throw new CorruptedFrameException("truncated OpenFlow message");
    }
    out.add(message);
  }
}
