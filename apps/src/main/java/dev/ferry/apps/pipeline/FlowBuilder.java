package dev.ferry.apps.pipeline;

import static dev.ferry.apps.pipeline.OpenFlow.OF13;

import dev.ferry.southbound.flow.FlowEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFValueType;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * Builds one {@link FlowEntry} in a declared {@link Table} and refuses flows that break the
 * declaration: a missing required match (e.g. no network metadata past classification), a
 * goto to a table not declared as next, a match without its OpenFlow prerequisites.
 * Instructions come out in the order OpenFlow 1.3 executes them.
 */
public final class FlowBuilder {
  private final Table table;
  private final Match.Builder match = OF13.buildMatch();
  /**
   * Fields asked for. openflowj 3.6's OF1.3 match silently leaves out a field whose
   * prerequisites (e.g. eth_type=0x0800 for ipv4_src) are missing, which would widen the flow
   * to match everything; build() compares what was asked with what was built.
   */
  private final java.util.Set<MatchField<?>> requested = new java.util.HashSet<>();
  private int priority = -1;
  private long cookie;
  private Long meterId;
  private final List<OFAction> actions = new ArrayList<>();
  private long[] writeMetadata;
  private Table gotoTable;

  private FlowBuilder(Table table) {
    this.table = table;
  }

  public static FlowBuilder in(Table table) {
    return new FlowBuilder(table);
  }

  public FlowBuilder priority(int priority) {
    this.priority = priority;
    return this;
  }

  public FlowBuilder cookie(long cookie) {
    this.cookie = cookie;
    return this;
  }

  /** Matches the network whatever way the packet came in. */
  public FlowBuilder network(int vni) {
    return metadata(NetworkMetadata.of(vni), NetworkMetadata.NETWORK_MASK);
  }

  /** Matches the network, only for packets that came in from the tunnel (or only not). */
  public FlowBuilder network(int vni, boolean fromTunnel) {
    long value = NetworkMetadata.of(vni) | (fromTunnel ? NetworkMetadata.FROM_TUNNEL : 0);
    return metadata(value, NetworkMetadata.WRITE_MASK);
  }

  /** Matches the network and, besides, these other metadata bits (e.g. the commit bit). */
  public FlowBuilder network(int vni, long bits, long bitsMask) {
    return metadata(NetworkMetadata.of(vni) | bits, NetworkMetadata.NETWORK_MASK | bitsMask);
  }

  private FlowBuilder metadata(long value, long mask) {
    requested.add(MatchField.METADATA);
    match.setMasked(MatchField.METADATA, NetworkMetadata.raw(value), NetworkMetadata.raw(mask));
    return this;
  }

  public <F extends OFValueType<F>> FlowBuilder match(MatchField<F> field, F value) {
    requested.add(field);
    match.setExact(field, value);
    return this;
  }

  public <F extends OFValueType<F>> FlowBuilder match(MatchField<F> field, F value, F mask) {
    requested.add(field);
    match.setMasked(field, value, mask);
    return this;
  }

  public FlowBuilder meter(long meterId) {
    this.meterId = meterId;
    return this;
  }

  public FlowBuilder apply(OFAction... more) {
    return apply(Arrays.asList(more));
  }

  public FlowBuilder apply(List<OFAction> more) {
    actions.addAll(more);
    return this;
  }

  public FlowBuilder writeMetadata(long value, long mask) {
    this.writeMetadata = new long[] {value, mask};
    return this;
  }

  public FlowBuilder gotoTable(Table target) {
    this.gotoTable = target;
    return this;
  }

  /** A flow with no instructions: OpenFlow drops what it matches. */
  public FlowEntry drop() {
    actions.clear();
    gotoTable = null;
    return build();
  }

  /**
   * The lowest-priority catch-all that drops what no other flow took. It is the one flow exempt
   * from the required matches: matching everything and doing nothing cannot mix networks.
   */
  public static FlowEntry tableMiss(Table table, long cookie) {
    // one instance per (table, cookie): every compile hands the reconciler the same drop flows
    return TABLE_MISSES.computeIfAbsent(new TableMiss(table, cookie),
        k -> new FlowEntry(table.id(), 0, OF13.buildMatch().build(), List.of(), cookie));
  }

  private record TableMiss(Table table, long cookie) {}

  /** Immutable values, computed once each; safe to share between threads. */
  private static final java.util.concurrent.ConcurrentMap<TableMiss, FlowEntry> TABLE_MISSES =
      new java.util.concurrent.ConcurrentHashMap<>();

  public FlowEntry build() {
    Match built = match.build();
    check(built);
    return new FlowEntry(table.id(), priority, built, instructions(), cookie);
  }

  private List<OFInstruction> instructions() {
    List<OFInstruction> out = new ArrayList<>();
    if (meterId != null) {
      out.add(OF13.instructions().meter(meterId));
    }
    if (!actions.isEmpty()) {
      out.add(OF13.instructions().applyActions(List.copyOf(actions)));
    }
    if (writeMetadata != null) {
      out.add(OF13.instructions().writeMetadata(U64.of(writeMetadata[0]), U64.of(writeMetadata[1])));
    }
    if (gotoTable != null) {
      out.add(OF13.instructions().gotoTable(TableId.of(gotoTable.id())));
    }
    return out;
  }

  private void check(Match built) {
    if (priority < 0 || priority > 0xffff) {
      throw violation("priority must be set within 0..65535, is " + priority);
    }
    for (MatchField<?> required : table.requiredMatches()) {
      // A clause of a conjunctive match decides nothing alone (the other clauses, which name
      // the network, must match too), so it may serve every network: a remote group's address set.
      if (required == MatchField.METADATA && onlyConjunctions()) {
        continue;
      }
      if (built.isFullyWildcarded(required)) {
        throw violation("must match " + required.getName());
      }
    }
    checkNetworkMatch(built);
    for (MatchField<?> field : requested) {
      if (built.isFullyWildcarded(field)) {
        throw violation("match on " + field.getName() + " lacks its prerequisites");
      }
    }
    if (gotoTable != null && !table.mayGoTo(gotoTable)) {
      throw violation("may not go to " + gotoTable.tableName());
    }
  }

  private boolean onlyConjunctions() {
    return !actions.isEmpty() && meterId == null && writeMetadata == null && gotoTable == null
        && actions.stream().allMatch(dev.ferry.southbound.nicira.NiciraConjunction.class::isInstance);
  }

  /** A metadata match past classification must pin the whole network field. */
  private void checkNetworkMatch(Match built) {
    if (table == Table.CLASSIFY || built.isFullyWildcarded(MatchField.METADATA)) {
      return;
    }
    var masked = built.isExact(MatchField.METADATA)
        ? org.projectfloodlight.openflow.types.Masked.of(
            built.get(MatchField.METADATA), NetworkMetadata.raw(-1L))
        : built.getMasked(MatchField.METADATA);
    long mask = masked.getMask().getValue().getValue();
    long value = masked.getValue().getValue().getValue();
    if ((mask & NetworkMetadata.NETWORK_MASK) != NetworkMetadata.NETWORK_MASK
        || NetworkMetadata.vniOf(value) == 0) {
      throw violation("metadata match must name one network, is " + masked);
    }
  }

  private PipelineViolation violation(String why) {
    return new PipelineViolation("table " + table.tableName() + ": " + why);
  }
}
