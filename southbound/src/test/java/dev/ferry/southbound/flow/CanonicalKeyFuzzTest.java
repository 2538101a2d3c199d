package dev.ferry.southbound.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ferry.southbound.FuzzBudget;

/**
 * The canonical key's OXM parser over any bytes (a switch's reply is untrusted): it returns a
 * key no longer than its input that normalizes to itself, or throws IllegalArgumentException;
 * nothing else (no index out of bounds, no hang).
 */
class CanonicalKeyFuzzTest {
  @FuzzTest(maxDuration = FuzzBudget.PER_TARGET)
  void normalize(byte[] oxms) {
    byte[] key;
    try {
      key = CanonicalKey.normalize(oxms);
    } catch (IllegalArgumentException malformed) {
      return;
    }
    assertTrue(key.length <= oxms.length);
    assertArrayEquals(key, CanonicalKey.normalize(key));
  }
}
