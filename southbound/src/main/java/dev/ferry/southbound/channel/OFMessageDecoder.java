package dev.ferry.southbound.channel;

import dev.ferry.southbound.flow.OnfBundle;
import dev.ferry.southbound.nicira.NiciraStandIns;
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
 * Malformed bytes raise a {@link CorruptedFrameException}, which closes this channel only.
 * Remembers the length of the frame it decoded last, so the handler can bound multipart
 * replies by bytes.
 */
public final class OFMessageDecoder extends MessageToMessageDecoder<ByteBuf> {
  private static final OFMessageReader<OFMessage> READER = OFFactories.getGenericReader();
  private int lastFrameLength;
  private static final org.apache.logging.log4j.Logger LOG =
      org.apache.logging.log4j.LogManager.getLogger(OFMessageDecoder.class);
  /** OFPT_EXPERIMENTER (OpenFlow 1.1+; OFPT_VENDOR in 1.0): the same number. */
  private static final int EXPERIMENTER = 4;

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
    lastFrameLength = frame.readableBytes();
    if (!PreHandshake.done(ctx.channel())) {
      PreHandshake.checkFrame(frame);
    }
    int type = frame.readableBytes() > 1 ? frame.getUnsignedByte(frame.readerIndex() + 1) : -1;
    try {
      out.add(decode(frame));
    } catch (CorruptedFrameException e) {
      if (type == EXPERIMENTER && e.getCause() instanceof OFParseError) {
        // A well-formed extension openflowj does not know (e.g. OVS's ONF role-status notice to a
        // controller just made SLAVE): OpenFlow lets a controller ignore it.
        frame.skipBytes(frame.readableBytes());
        LOG.debug("ignoring an experimenter message openflowj cannot read: {}", e.getMessage());
        return;
      }
      throw e;
    }
  }

  /** One message from one whole frame, or CorruptedFrameException: never another exception. */
  public static OFMessage decode(ByteBuf frame) {
    OFMessage message;
    try {
      // Nicira actions openflowj cannot parse (Ferry's ct/nat flows read back) become stand-ins;
      // OF1.3 bundle replies and errors (ONF experimenter) become messages openflowj reads.
      message = READER.readFrom(OnfBundle.rewriteReply(NiciraStandIns.rewrite(frame)));
    } catch (OFParseError | RuntimeException e) {
      if (e instanceof CorruptedFrameException c) {
        throw c;
      }
      // openflowj reports some malformations unchecked (an index past the buffer, an unknown enum value)
      throw new CorruptedFrameException("malformed OpenFlow message: " + e, e);
    }
    if (message == null) {
      throw new CorruptedFrameException("truncated OpenFlow message");
    }
    return message;
  }

  /** Bytes of the frame decoded last: the message the handler is reading now. */
  int lastFrameLength() {
    return lastFrameLength;
  }
}
