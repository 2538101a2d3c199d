package dev.ferry.southbound.flow;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A flow's identity on a switch in canonical form: (table, priority, normalized match), built
 * straight from the flow's OXM bytes (the full reconcile diff keys every desired and every
 * read-back flow, so it must not decode them). Equal exactly when {@link CanonicalForm#match}
 * gives equal text: fields as a set, an all-ones mask is the exact field, an all-zero mask is no
 * field, a masked value keeps only the bits under its mask.
 */
public final class CanonicalKey {
  private static final int HEADER = 4;
  private static final int EXPERIMENTER_CLASS = 0xFFFF;
  private static final int EXPERIMENTER_ID = 4;

  private final int tableId;
  private final int priority;
  private final byte[] match;
  private final int hash;

  private CanonicalKey(int tableId, int priority, byte[] match) {
    this.tableId = tableId;
    this.priority = priority;
    this.match = match;
    this.hash = 31 * (31 * tableId + priority) + Arrays.hashCode(match);
  }

  /**
   * @throws IllegalArgumentException when the flow's match bytes are not a sequence of OXMs
   *     (possible only for bytes openflowj did not write)
   */
  public static CanonicalKey of(FlowEntry flow) {
    return new CanonicalKey(flow.tableId(), flow.priority(), normalize(flow.matchBytes()));
  }

  public int tableId() {
    return tableId;
  }

  public int priority() {
    return priority;
  }

  /** The normalized match as {@link CanonicalForm#match} spells it (for display). */
  public String match() {
    try {
      return CanonicalForm.match(OxmBytes.match(match));
    } catch (RuntimeException notOpenflowj) {
      return "oxm=" + HexFormat.of().formatHex(match);
    }
  }

  /**
   * The OXMs normalized one by one (masks applied; an all-ones mask becomes the exact field, an
   * all-zero mask drops the field) and sorted as unsigned bytes, concatenated. Total over any
   * bytes: each step advances by at least an OXM header, every length is checked against the
   * bytes left, and the result is never longer than the input.
   *
   * @throws IllegalArgumentException on an OXM cut short or a masked OXM of odd payload length
   */
  static byte[] normalize(byte[] oxms) {
    int n = oxms.length;
    byte[] terms = new byte[n];
    int[] starts = new int[n / HEADER + 1];
    int count = 0;
    int written = 0;
    for (int at = 0; at < n; ) {
      if (n - at < HEADER) {
        throw malformed(at, "header cut short: " + (n - at) + " bytes left");
      }
      int header = readInt(oxms, at);
      int length = header & 0xFF;
      if (length > n - at - HEADER) {
        throw malformed(at, "length " + length + " but " + (n - at - HEADER) + " bytes left");
      }
      int body = at + HEADER;
      int prefix = (header >>> 16) == EXPERIMENTER_CLASS ? EXPERIMENTER_ID : 0;
      if (length < prefix) {
        throw malformed(at, "experimenter OXM of length " + length);
      }
      boolean hasMask = (header & 0x100) != 0;
      int payload = length - prefix;
      starts[count] = written;
      if (!hasMask) {
        System.arraycopy(oxms, at, terms, written, HEADER + length);
        written += HEADER + length;
        count++;
      } else {
        if (payload % 2 != 0) {
          throw malformed(at, "masked OXM with odd payload length " + payload);
        }
        int valueLength = payload / 2;
        int value = body + prefix;
        int mask = value + valueLength;
        boolean allOnes = true;
        boolean allZeros = true;
        for (int i = 0; i < valueLength; i++) {
          allOnes &= oxms[mask + i] == (byte) 0xFF;
          allZeros &= oxms[mask + i] == 0;
        }
        if (!allZeros) {
          int exactLength = prefix + valueLength;
          int newHeader = allOnes ? (header & ~0x1FF) | exactLength : header;
          writeInt(terms, written, newHeader);
          System.arraycopy(oxms, body, terms, written + HEADER, prefix);
          int out = written + HEADER + prefix;
          for (int i = 0; i < valueLength; i++) {
            terms[out + i] = (byte) (oxms[value + i] & oxms[mask + i]);
          }
          if (!allOnes) {
            System.arraycopy(oxms, mask, terms, out + valueLength, valueLength);
          }
          written = out + (allOnes ? valueLength : 2 * valueLength);
          count++;
        }
      }
      at = body + length;
    }
    return sorted(terms, starts, count, written);
  }

  /** The terms in unsigned byte order; insertion sort, as a match has a handful of fields. */
  private static byte[] sorted(byte[] terms, int[] starts, int count, int end) {
    int[] order = new int[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
      for (int j = i; j > 0 && compare(terms, starts, count, end, order[j - 1], order[j]) > 0; j--) {
        int swap = order[j];
        order[j] = order[j - 1];
        order[j - 1] = swap;
      }
    }
    byte[] out = new byte[end];
    int written = 0;
    for (int i = 0; i < count; i++) {
      int from = starts[order[i]];
      int to = termEnd(starts, count, end, order[i]);
      System.arraycopy(terms, from, out, written, to - from);
      written += to - from;
    }
    return out;
  }

  private static int compare(byte[] terms, int[] starts, int count, int end, int a, int b) {
    return Arrays.compareUnsigned(terms, starts[a], termEnd(starts, count, end, a),
        terms, starts[b], termEnd(starts, count, end, b));
  }

  private static int termEnd(int[] starts, int count, int end, int term) {
    return term + 1 < count ? starts[term + 1] : end;
  }

  private static int readInt(byte[] b, int at) {
    return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8
        | (b[at + 3] & 0xFF);
  }

  private static void writeInt(byte[] b, int at, int value) {
    b[at] = (byte) (value >>> 24);
    b[at + 1] = (byte) (value >>> 16);
    b[at + 2] = (byte) (value >>> 8);
    b[at + 3] = (byte) value;
  }

  private static IllegalArgumentException malformed(int at, String why) {
    return new IllegalArgumentException("malformed OXM at byte " + at + ": " + why);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CanonicalKey k && hash == k.hash && tableId == k.tableId
        && priority == k.priority && Arrays.equals(match, k.match);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    String text = match();
    return "table=" + tableId + ",priority=" + priority + (text.isEmpty() ? "" : "," + text);
  }
}
