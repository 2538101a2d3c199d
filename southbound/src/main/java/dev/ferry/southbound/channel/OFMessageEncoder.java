package dev.ferry.southbound.channel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import org.projectfloodlight.openflow.protocol.OFMessage;

/** Writes openflowj messages as bytes. */
public final class OFMessageEncoder extends MessageToByteEncoder<OFMessage> {
  @Override
  protected void encode(ChannelHandlerContext ctx, OFMessage message, ByteBuf out) {
    int at = out.writerIndex();
    message.writeTo(out);
    dev.ferry.southbound.nicira.ConjunctionId.toWire(out, at);
  }
}
