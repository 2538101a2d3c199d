package dev.ferry.southbound.nicira;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ferry.southbound.FuzzBudget;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.CorruptedFrameException;

/**
 * The stand-in rewrite alone, so its own faults are not hidden behind the decoder's: over any
 * flow stats reply it returns the frame, or a copy whose length field is its size and at most
 * 65535, or throws CorruptedFrameException; nothing else (no index out of bounds, no hang).
 */
class NiciraStandInsFuzzTest {
  @FuzzTest(maxDuration = FuzzBudget.PER_TARGET)
  void rewrite(byte[] body) {
    // a flow stats reply header with the right length, so the fuzzer works on the entries
    int length = 16 + body.length;
    if (length > 0xFFFF) {
      return;
    }
    ByteBuf frame = Unpooled.buffer(length).writeByte(4).writeByte(19).writeShort(length)
        .writeInt(1).writeShort(1).writeShort(0).writeInt(0).writeBytes(body);
    ByteBuf out;
    try {
      out = NiciraStandIns.rewrite(frame);
    } catch (CorruptedFrameException malformed) {
      return;
    }
    if (out != frame) {
      assertTrue(out.readableBytes() <= 0xFFFF);
      assertEquals(out.readableBytes(), out.getUnsignedShort(out.readerIndex() + 2));
    }
  }
}
