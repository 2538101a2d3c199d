package dev.ferry.southbound.flow;

import java.util.List;

/**
 * The flows of one list by {@link FlowEntry.Key}, as an open-addressing table of positions in
 * the list: one int array instead of a node per flow. A model change diffs and checks every
 * flow of a switch (thousands), and a {@code HashMap} of them cost more than everything else
 * an incremental reconcile does. Uses the keys' cached hashes; built once, then only read.
 * Not thread-safe; lives for one diff or one check.
 */
public final class FlowIndex {
  private final List<FlowEntry> flows;
  /** Position + 1 of a flow in {@link #flows}; 0 is an empty slot. */
  private final int[] slots;
  private final int shift;
  private final boolean distinct;

  private FlowIndex(List<FlowEntry> flows) {
    this.flows = flows;
    int bits = Math.max(4, 33 - Integer.numberOfLeadingZeros(Math.max(1, flows.size() * 2 - 1)));
    this.slots = new int[1 << bits]; // at most half full
    this.shift = 32 - bits;
    boolean unique = true;
    for (int i = 0; i < flows.size(); i++) {
      FlowEntry.Key key = flows.get(i).key();
      int s = slot(key.hashCode());
      while (slots[s] != 0) {
        if (unique && flows.get(slots[s] - 1).key().equals(key)) {
          unique = false;
        }
        s = (s + 1) & (slots.length - 1);
      }
      slots[s] = i + 1;
    }
    this.distinct = unique;
  }

  /** An index of {@code flows} (a random-access list). */
  static FlowIndex of(List<FlowEntry> flows) {
    return new FlowIndex(flows);
  }

  /** Whether no two flows of this list share a key. */
  boolean distinct() {
    return distinct;
  }

  /** Whether no two of these flows share a key (a random-access list). */
  public static boolean distinct(List<FlowEntry> flows) {
    return new FlowIndex(flows).distinct;
  }

  /**
   * The position of the flow with {@code flow}'s key, -1 for none; only for a {@link #distinct}
   * list. The very instance is recognised without comparing matches.
   */
  int positionOf(FlowEntry flow) {
    FlowEntry.Key key = flow.key();
    int h = key.hashCode();
    for (int s = slot(h); slots[s] != 0; s = (s + 1) & (slots.length - 1)) {
      FlowEntry candidate = flows.get(slots[s] - 1);
      if (candidate == flow || (candidate.key().hashCode() == h && candidate.key().equals(key))) {
        return slots[s] - 1;
      }
    }
    return -1;
  }

  private int slot(int hash) {
    return (hash * 0x9E3779B9) >>> shift;
  }
}
