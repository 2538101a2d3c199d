package dev.ferry.southbound.flow;

import com.google.common.collect.Interner;
import com.google.common.collect.Interners;
import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;

/**
 * One instance of each distinct flow, group and meter across every switch's remembered state.
 * Hosts of one network hold many identical flows (the L2 and neighbor flows of its ports, the
 * same on every host), so remembering what each connection was brought to costs a reference
 * per flow instead of a copy. Weak: a flow no switch remembers any more is collected.
 *
 * <p>Instruction lists are shared the same way, by every {@link FlowEntry} as it is built: the
 * many distinct flows of a switch (one per port, peer, address) mostly end in a few identical
 * lists (goto the next table, output to the tunnel), which then cost one copy each. Guava's
 * weak interners are thread-safe; no thread owns them.
 */
public final class SharedFlows {
  private static final Interner<FlowEntry> FLOWS = Interners.newWeakInterner();
  private static final Interner<GroupEntry> GROUPS = Interners.newWeakInterner();
  private static final Interner<MeterEntry> METERS = Interners.newWeakInterner();
  private static final Interner<List<OFInstruction>> INSTRUCTIONS = Interners.newWeakInterner();

  private SharedFlows() {}

  /** The one shared instance equal to this flow (a compile memo's fragments use these). */
  public static FlowEntry flow(FlowEntry flow) {
    return FLOWS.intern(flow);
  }

  public static GroupEntry group(GroupEntry group) {
    return GROUPS.intern(group);
  }

  /** An immutable copy of this list, the one shared instance equal to it. */
  static List<OFInstruction> instructions(List<OFInstruction> instructions) {
    return INSTRUCTIONS.intern(List.copyOf(instructions));
  }

  static DesiredState of(DesiredState state) {
    return new DesiredState(intern(state.flows(), FLOWS), intern(state.groups(), GROUPS),
        intern(state.meters(), METERS));
  }

  private static <T> List<T> intern(List<T> items, Interner<T> interner) {
    List<T> out = new ArrayList<>(items.size());
    for (T item : items) {
      out.add(interner.intern(item));
    }
    return out;
  }
}
