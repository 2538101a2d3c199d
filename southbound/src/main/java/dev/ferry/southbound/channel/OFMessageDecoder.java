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

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out)
      throws OFParseError {
    // Nicira actions openflowj cannot parse (Ferry's ct/nat flows read back) become stand-ins;
    // OF1.3 bundle replies and errors (ONF experimenter) become messages openflowj reads.
    OFMessage message = READER.readFrom(dev.ferry.southbound.flow.OnfBundle.rewriteReply(
        dev.ferry.southbound.nicira.NiciraStandIns.rewrite(frame)));
    if (message == null) {
      throw new CorruptedFrameException("truncated OpenFlow message");
    }
    out.add(message);
  }
}
