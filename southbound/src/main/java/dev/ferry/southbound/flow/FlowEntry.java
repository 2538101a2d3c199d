package dev.ferry.southbound.flow;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.match.Match;

/**
 * One desired flow. Its identity on a switch is (table, priority, match); the cookie and the
 * instructions are its content, so a changed action is a modify, not a delete plus add.
 *
 * <p>Immutable, with value equality like a record. Not a record because it is compact: millions
 * of distinct flows are alive at 1,000 hosts, so the match is kept as its OXM wire bytes
 * ({@link OxmBytes}, about 40 bytes instead of openflowj's ~500-byte object graph) and decoded
 * by {@link #match()} on demand, the instruction list is one shared instance per distinct list
 * ({@link SharedFlows#instructions}), table and priority take the bytes OpenFlow gives them, and
 * the hashes are computed once.
 */
public final class FlowEntry {
  private final byte tableId;
  private final short priority;
  private final byte[] match;
  private final List<OFInstruction> instructions;
  private final long cookie;
  private final int keyHash;
  private final int hash;

  public FlowEntry(
      int tableId, int priority, Match match, List<OFInstruction> instructions, long cookie) {
    if (tableId < 0 || tableId > 0xFF) {
      throw new IllegalArgumentException("table id " + tableId + " outside [0, 255]");
    }
    if (priority < 0 || priority > 0xFFFF) {
      throw new IllegalArgumentException("priority " + priority + " outside [0, 65535]");
    }
    this.tableId = (byte) tableId;
    this.priority = (short) priority;
    this.match = OxmBytes.of(Objects.requireNonNull(match, "match"));
    this.instructions = SharedFlows.instructions(instructions);
    this.cookie = cookie;
    this.keyHash = Key.hash(tableId, priority, this.match);
    // The list is the one shared instance of its value (SharedFlows): identity is equality,
    // so neither the hash nor equals walks openflowj's instruction objects again.
    this.hash = 31 * (31 * keyHash + System.identityHashCode(this.instructions))
        + Long.hashCode(cookie);
  }

  public int tableId() {
    return tableId & 0xFF;
  }

  public int priority() {
    return priority & 0xFFFF;
  }

  /** A new openflowj match decoded from the stored bytes (not cached: that is the point). */
  public Match match() {
    return OxmBytes.match(match);
  }

  /** The match for a flow-mod: writes the stored bytes as they are (no decode, no re-encode). */
  Match wireMatch() {
    return new WireMatch(match);
  }

  /** The match's OXM TLVs as OpenFlow 1.3 writes them; shared, do not modify. */
  byte[] matchBytes() {
    return match;
  }

  public List<OFInstruction> instructions() {
    return instructions;
  }

  public long cookie() {
    return cookie;
  }

  /** The identity OpenFlow itself uses for a strict flow-mod (a small view, built per call). */
  public Key key() {
    return new Key(tableId(), priority(), match, keyHash);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FlowEntry f && hash == f.hash && cookie == f.cookie
        && tableId == f.tableId && priority == f.priority && Arrays.equals(match, f.match)
        && instructions == f.instructions;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "FlowEntry[tableId=" + tableId() + ", priority=" + priority() + ", match=" + match()
        + ", instructions=" + instructions + ", cookie=" + cookie + "]";
  }

  /** (table, priority, match), over the entry's match bytes, with its hash computed once. */
  public static final class Key {
    private final int tableId;
    private final int priority;
    private final byte[] match;
    private final int hash;

    public Key(int tableId, int priority, Match match) {
      this(tableId, priority, OxmBytes.of(match));
    }

    private Key(int tableId, int priority, byte[] match) {
      this(tableId, priority, match, hash(tableId, priority, match));
    }

    private Key(int tableId, int priority, byte[] match, int hash) {
      this.tableId = tableId;
      this.priority = priority;
      this.match = match;
      this.hash = hash;
    }

    static int hash(int tableId, int priority, byte[] match) {
      return 31 * (31 * tableId + priority) + Arrays.hashCode(match);
    }

    public int tableId() {
      return tableId;
    }

    public int priority() {
      return priority;
    }

    public Match match() {
      return OxmBytes.match(match);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && hash == k.hash && tableId == k.tableId
          && priority == k.priority && Arrays.equals(match, k.match);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      return "Key[tableId=" + tableId + ", priority=" + priority + ", match=" + match() + "]";
    }
  }
}
