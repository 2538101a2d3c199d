package dev.ferry.apps.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ferry.apps.FuzzBudget;

/**
 * IPv4 parsing is total, its payload never reaches past the frame, and a parsed packet built
 * again parses to the same fields.
 */
class Ipv4FrameFuzzTest {
  @FuzzTest(maxDuration = FuzzBudget.PER_TARGET)
  void parse(byte[] frame) {
    Ipv4Frame.parse(frame).ifPresent(ip -> {
      assertTrue(ip.payload().length <= frame.length - 34, "payload longer than the frame");
      Ipv4Frame again = Ipv4Frame.parse(ip.toFrame()).orElseThrow();
      assertEquals(ip.src(), again.src());
      assertEquals(ip.dst(), again.dst());
      assertEquals(ip.protocol(), again.protocol());
      assertArrayEquals(ip.payload(), again.payload());
    });
  }
}
