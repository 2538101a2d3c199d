package dev.ferry.southbound.flow;

import java.util.List;
import java.util.Objects;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.match.Match;

/**
 * One desired flow. Its identity on a switch is (table, priority, match); the cookie and the
 * instructions are its content, so a changed action is a modify, not a delete plus add.
 *
 * <p>Immutable, with value equality like a record. Not a record because it caches its hashes:
 * openflowj recomputes a match's hash over its whole field map on every call, and every
 * incremental reconcile hashes each flow of a switch (diff keys, shared instances).
 */
public final class FlowEntry {
  private final int tableId;
  private final int priority;
  private final Match match;
  private final List<OFInstruction> instructions;
  private final long cookie;
  private final Key key;
  private int hash; // 0 until first asked; racy but idempotent, like String's

  public FlowEntry(
      int tableId, int priority, Match match, List<OFInstruction> instructions, long cookie) {
    this.tableId = tableId;
    this.priority = priority;
    this.match = Objects.requireNonNull(match, "match");
    this.instructions = List.copyOf(instructions);
    this.cookie = cookie;
    this.key = new Key(tableId, priority, match);
  }

  public int tableId() {
    return tableId;
  }

  public int priority() {
    return priority;
  }

  public Match match() {
    return match;
  }

  public List<OFInstruction> instructions() {
    return instructions;
  }

  public long cookie() {
    return cookie;
  }

  /** The identity OpenFlow itself uses for a strict flow-mod. */
  public Key key() {
    return key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FlowEntry f && cookie == f.cookie && key.equals(f.key)
        && instructions.equals(f.instructions);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = 31 * (31 * key.hashCode() + instructions.hashCode()) + Long.hashCode(cookie);
      hash = h;
    }
    return h;
  }

  @Override
  public String toString() {
    return "FlowEntry[tableId=" + tableId + ", priority=" + priority + ", match=" + match
        + ", instructions=" + instructions + ", cookie=" + cookie + "]";
  }

  /** (table, priority, match), with its hash computed once. */
  public static final class Key {
    private final int tableId;
    private final int priority;
    private final Match match;
    private final int hash;

    public Key(int tableId, int priority, Match match) {
      this.tableId = tableId;
      this.priority = priority;
      this.match = match;
      this.hash = 31 * (31 * tableId + priority) + match.hashCode();
    }

    public int tableId() {
      return tableId;
    }

    public int priority() {
      return priority;
    }

    public Match match() {
      return match;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && hash == k.hash && tableId == k.tableId
          && priority == k.priority && match.equals(k.match);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      return "Key[tableId=" + tableId + ", priority=" + priority + ", match=" + match + "]";
    }
  }
}
