package dev.ferry.southbound.flow;

import java.util.Collection;
import java.util.List;

/** Everything Ferry wants one switch to hold. Produced by the compiler, consumed by reconcile. */
public record DesiredState(List<FlowEntry> flows, List<GroupEntry> groups, List<MeterEntry> meters) {

  public static final DesiredState EMPTY = new DesiredState(List.of(), List.of(), List.of());

  public DesiredState(
      Collection<FlowEntry> flows, Collection<GroupEntry> groups, Collection<MeterEntry> meters) {
    this(List.copyOf(flows), List.copyOf(groups), List.copyOf(meters));
  }
}
