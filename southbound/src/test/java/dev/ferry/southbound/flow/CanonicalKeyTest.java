package dev.ferry.southbound.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The byte-level canonical key agrees with the canonical text ({@link CanonicalForm#match}, the
 * reference it replaces in the diff): two matches have equal keys exactly when their texts are
 * equal, over generated matches that differ in field order, all-ones and all-zero masks and
 * value bits outside the mask, and that often mean the same thing.
 */
class CanonicalKeyTest {
  /** (class, field, value length) of OXMs openflowj reads both exact and masked. */
  private static final int[][] FIELDS = {
      {0x8000, 0, 4}, // in_port
      {0x8000, 2, 8}, // metadata
      {0x8000, 3, 6}, // eth_dst
      {0x8000, 5, 2}, // eth_type
      {0x8000, 11, 4}, // ipv4_src
      {0x8000, 38, 8}, // tunnel_id
      {0x8000, 4, 6}, // eth_src
      {0x8000, 12, 4}, // ipv4_dst
      {0x0003, 2, 4}, // bsn_vrf, the conj_id stand-in
  };
  private static final byte[] BYTES = {0x00, 0x0f, (byte) 0xf0, (byte) 0xff};

  /** One OXM TLV. */
  private record Oxm(int field, byte[] value, byte[] mask) {
    byte[] bytes() {
      int[] f = FIELDS[field];
      int length = mask == null ? value.length : 2 * value.length;
      int header = f[0] << 16 | f[1] << 9 | (mask == null ? 0 : 0x100) | length;
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(header >>> 24);
      out.write(header >>> 16);
      out.write(header >>> 8);
      out.write(header);
      out.writeBytes(value);
      if (mask != null) {
        out.writeBytes(mask);
      }
      return out.toByteArray();
    }
  }

  private static byte[] randomBytes(Random r, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = BYTES[r.nextInt(BYTES.length)];
    }
    return b;
  }

  private static byte[] filled(int n, int value) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) value);
    return b;
  }

  private static List<Oxm> randomMatch(Random r) {
    List<Integer> fields = new ArrayList<>();
    for (int i = 0; i < FIELDS.length; i++) {
      fields.add(i);
    }
    Collections.shuffle(fields, r);
    List<Oxm> oxms = new ArrayList<>();
    for (int field : fields.subList(0, r.nextInt(4))) {
      int n = FIELDS[field][2];
      byte[] mask = switch (r.nextInt(4)) {
        case 0 -> null;
        case 1 -> filled(n, 0xff);
        case 2 -> filled(n, 0);
        default -> randomBytes(r, n);
      };
      oxms.add(new Oxm(field, randomBytes(r, n), mask));
    }
    return oxms;
  }

  /** A variant meaning the same: reordered, exact as all-ones, bits outside masks flipped. */
  private static List<Oxm> sameMeaning(List<Oxm> match, Random r) {
    List<Oxm> out = new ArrayList<>();
    for (Oxm oxm : match) {
      if (oxm.mask() == null) {
        out.add(r.nextBoolean() ? oxm : new Oxm(oxm.field(), oxm.value(),
            filled(oxm.value().length, 0xff)));
      } else {
        byte[] value = oxm.value().clone();
        for (int i = 0; i < value.length; i++) {
          value[i] = (byte) ((value[i] & oxm.mask()[i]) | (randomBytes(r, 1)[0] & ~oxm.mask()[i]));
        }
        out.add(new Oxm(oxm.field(), value, oxm.mask()));
      }
    }
    Collections.shuffle(out, r);
    return out;
  }

  private static byte[] wire(List<Oxm> match) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    match.forEach(o -> out.writeBytes(o.bytes()));
    return out.toByteArray();
  }

  private static String text(byte[] oxms) {
    return CanonicalForm.match(OxmBytes.match(oxms));
  }

  @Test
  void keysAreEqualExactlyWhenTheCanonicalTextIsEqual() {
    Random r = new Random(18);
    List<byte[]> matches = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      List<Oxm> m = randomMatch(r);
      matches.add(wire(m));
      matches.add(wire(sameMeaning(m, r)));
      matches.add(wire(sameMeaning(m, r)));
    }
    List<String> texts = matches.stream().map(CanonicalKeyTest::text).toList();
    List<byte[]> keys = matches.stream().map(CanonicalKey::normalize).toList();
    int equalPairs = 0;
    for (int a = 0; a < matches.size(); a++) {
      for (int b = a + 1; b < matches.size(); b++) {
        int i = a;
        int j = b;
        boolean sameText = texts.get(i).equals(texts.get(j));
        boolean sameKey = java.util.Arrays.equals(keys.get(i), keys.get(j));
        assertEquals(sameText, sameKey, () -> "text " + texts.get(i) + " vs " + texts.get(j)
            + "\nbytes " + hex(matches.get(i)) + " vs " + hex(matches.get(j)));
        equalPairs += sameText ? 1 : 0;
      }
    }
    assertTrue(equalPairs > 300, "the generator makes equal pairs: " + equalPairs);
  }

  @Test
  void aFlowsKeyIsItsNormalizedMatchWithTableAndPriority() {
    Random r = new Random(7);
    for (int i = 0; i < 200; i++) {
      List<Oxm> m = randomMatch(r);
      FlowEntry a = new FlowEntry(3, 10, OxmBytes.match(wire(m)), List.of(), 1);
      FlowEntry b = new FlowEntry(3, 10, OxmBytes.match(wire(sameMeaning(m, r))), List.of(), 2);
      assertEquals(CanonicalKey.of(a), CanonicalKey.of(b));
      assertEquals(CanonicalKey.of(a).hashCode(), CanonicalKey.of(b).hashCode());
      assertEquals(text(wire(m)), CanonicalKey.of(a).match());
    }
    FlowEntry flow = new FlowEntry(3, 10, OxmBytes.match(new byte[0]), List.of(), 1);
    assertEquals("table=3,priority=10", CanonicalKey.of(flow).toString());
  }

  @Test
  void normalizingTwiceChangesNothing() {
    Random r = new Random(11);
    for (int i = 0; i < 200; i++) {
      byte[] once = CanonicalKey.normalize(wire(randomMatch(r)));
      assertArrayEquals(once, CanonicalKey.normalize(once));
    }
  }

  @Test
  void anExperimenterOxmKeepsItsIdAndMasksItsValue() {
    HexFormat hex = HexFormat.of();
    // class 0xffff field 1, masked, length 4 (experimenter) + 2 value + 2 mask
    byte[] masked = hex.parseHex("ffff0308" + "00002320" + "abcd" + "ff00");
    assertEquals("ffff0308" + "00002320" + "ab00" + "ff00", hex.formatHex(CanonicalKey.normalize(masked)));
    byte[] allOnes = hex.parseHex("ffff0308" + "00002320" + "abcd" + "ffff");
    assertEquals("ffff0206" + "00002320" + "abcd", hex.formatHex(CanonicalKey.normalize(allOnes)));
    assertEquals("", hex.formatHex(CanonicalKey.normalize(hex.parseHex("ffff0308" + "00002320" + "abcd" + "0000"))));
  }

  @Test
  void malformedOxmsGetAClearErrorNotAnIndexOutOfBounds() {
    HexFormat hex = HexFormat.of();
    for (String bad : List.of("80", "800000", "80000004" + "0000", "80000105" + "0000000000",
        "ffff0002" + "0000", "80000004" + "00000001" + "80")) {
      var e = assertThrows(IllegalArgumentException.class, () -> CanonicalKey.normalize(hex.parseHex(bad)),
          bad);
      assertTrue(e.getMessage().startsWith("malformed OXM at byte "), e.getMessage());
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
