package dev.ferry.southbound.channel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.nio.ByteOrder;

/**
 * Cuts the byte stream at OpenFlow message boundaries: the 16-bit length at offset 2 counts
 * the whole message, header included. Longer than the limit, or shorter than a header: the
 * channel fails fast (TooLongFrameException / CorruptedFrameException) instead of buffering.
 * Before the handshake is done, {@link PreHandshake} also refuses by the header alone what the
 * handshake never needs.
 */
public final class OFFrameDecoder extends LengthFieldBasedFrameDecoder {
  static final int HEADER_LENGTH = 8;

  public OFFrameDecoder(int maxMessageSize) {
    super(maxMessageSize, 2, 2, -4, 0, true);
  }

  @Override
  protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
    if (in.readableBytes() >= 4 && !PreHandshake.done(ctx.channel())) {
      PreHandshake.checkHeader(in, in.readerIndex());
    }
    return super.decode(ctx, in);
  }

  @Override
  protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
    long claimed = super.getUnadjustedFrameLength(buf, offset, length, order);
    if (claimed < HEADER_LENGTH) {
      throw new CorruptedFrameException("OpenFlow length " + claimed + " shorter than its header");
    }
    return claimed;
  }
}
