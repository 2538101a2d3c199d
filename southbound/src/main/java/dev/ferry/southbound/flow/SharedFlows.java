package dev.ferry.southbound.flow;

import com.google.common.collect.Interner;
import com.google.common.collect.Interners;
import java.util.ArrayList;
import java.util.List;

/**
 * One instance of each distinct flow, group and meter across every switch's remembered state.
 * Hosts of one network hold many identical flows (the L2 and neighbor flows of its ports, the
 * same on every host), so remembering what each connection was brought to costs a reference
 * per flow instead of a copy. Weak: a flow no switch remembers any more is collected.
 */
public final class SharedFlows {
  private static final Interner<FlowEntry> FLOWS = Interners.newWeakInterner();
  private static final Interner<GroupEntry> GROUPS = Interners.newWeakInterner();
  private static final Interner<MeterEntry> METERS = Interners.newWeakInterner();

  private SharedFlows() {}

  /** The one shared instance equal to this flow (a compile memo's fragments use these). */
  public static FlowEntry flow(FlowEntry flow) {
    return FLOWS.intern(flow);
  }

  public static GroupEntry group(GroupEntry group) {
    return GROUPS.intern(group);
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
