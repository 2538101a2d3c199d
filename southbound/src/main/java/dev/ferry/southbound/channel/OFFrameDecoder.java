package dev.ferry.southbound.channel;

import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * Cuts the byte stream at OpenFlow message boundaries: the 16-bit length at offset 2 counts
 * the whole message, header included. Longer than the limit, or shorter than a header: the
 * channel fails fast (TooLongFrameException / CorruptedFrameException) instead of buffering.
 */
public final class OFFrameDecoder extends LengthFieldBasedFrameDecoder {
  static final int HEADER_LENGTH = 8;

  public OFFrameDecoder(int maxMessageSize) {
    super(maxMessageSize, 2, 2, -4, 0, true);
  }

  @Override
  protected long getUnadjustedFrameLength(
      io.netty.buffer.ByteBuf buf, int offset, int length, java.nio.ByteOrder order) {
    long claimed = super.getUnadjustedFrameLength(buf, offset, length, order);
    if (claimed < HEADER_LENGTH) {
      throw new io.netty.handler.codec.CorruptedFrameException(
          "OpenFlow length " + claimed + " shorter than its header");
    }
    return claimed;
  }
}
