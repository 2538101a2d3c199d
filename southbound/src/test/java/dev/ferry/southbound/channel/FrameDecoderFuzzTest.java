package dev.ferry.southbound.channel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ferry.southbound.FuzzBudget;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;

/**
 * The frame decoder over any byte stream, fed in two pieces: it either cuts whole frames of
 * [8, max] bytes whose length field is their size, or fails with a DecoderException (which
 * closes the channel); never another exception, never a frame that lies about its length.
 */
class FrameDecoderFuzzTest {
  private static final int MAX = 4096;

  @FuzzTest(maxDuration = FuzzBudget.PER_TARGET)
  void frames(byte[] stream) {
    EmbeddedChannel channel = new EmbeddedChannel(new OFFrameDecoder(MAX));
    if (stream.length > 0 && (stream[0] & 1) == 1) {
      PreHandshake.markDone(channel); // half the inputs as a READY switch, half before
    }
    int cut = stream.length / 2;
    try {
      channel.writeInbound(Unpooled.wrappedBuffer(stream, 0, cut));
      channel.writeInbound(Unpooled.wrappedBuffer(stream, cut, stream.length - cut));
    } catch (DecoderException expected) {
      // malformed or oversized: the channel will be closed
    }
    for (ByteBuf frame = channel.readInbound(); frame != null; frame = channel.readInbound()) {
      int length = frame.readableBytes();
      assertTrue(length >= 8 && length <= MAX, "frame of " + length + " bytes");
      assertTrue(frame.getUnsignedShort(frame.readerIndex() + 2) == length, "length field lies");
      frame.release();
    }
    try {
      channel.finishAndReleaseAll();
    } catch (DecoderException expected) {
      // closing decodes what is left, and may find it malformed again
    }
  }
}
