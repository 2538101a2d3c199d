package dev.ferry.southbound.channel;

import dev.ferry.southbound.nicira.NiciraWire;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import org.projectfloodlight.openflow.protocol.OFMessage;

/** Writes openflowj messages as bytes, through {@link NiciraWire}. */
public final class OFMessageEncoder extends MessageToByteEncoder<OFMessage> {
  @Override
  protected void encode(ChannelHandlerContext ctx, OFMessage message, ByteBuf out) {
    NiciraWire.write(message, out);
  }
}
