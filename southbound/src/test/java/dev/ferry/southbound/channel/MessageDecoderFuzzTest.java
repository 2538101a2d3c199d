package dev.ferry.southbound.channel;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ferry.southbound.FuzzBudget;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.CorruptedFrameException;

/**
 * The message decoder (Nicira stand-in rewrite, then openflowj) over any one frame: a message,
 * or CorruptedFrameException; never another exception, a hang or unbounded memory. The length
 * field is set to the frame's size, as the frame decoder guarantees, so the fuzzer spends its
 * time past the header.
 */
class MessageDecoderFuzzTest {
  @FuzzTest(maxDuration = FuzzBudget.THROUGH_OPENFLOWJ)
  void decode(byte[] frame) {
    if (frame.length < 8 || frame.length > 0xFFFF) {
      return;
    }
    frame[2] = (byte) (frame.length >> 8);
    frame[3] = (byte) frame.length;
    try {
      assertNotNull(OFMessageDecoder.decode(Unpooled.wrappedBuffer(frame)));
    } catch (CorruptedFrameException malformed) {
      // closes the channel
    }
  }
}
