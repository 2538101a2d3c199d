package dev.ferry.apps.trace;

import dev.ferry.southbound.nicira.ConjunctionId;
import dev.ferry.southbound.nicira.NiciraConjunction;
import dev.ferry.southbound.nicira.NiciraConntrack;

import dev.ferry.apps.pipeline.FlowText;
import dev.ferry.southbound.flow.DesiredState;
import dev.ferry.southbound.flow.FlowEntry;
import dev.ferry.southbound.flow.GroupEntry;
import dev.ferry.southbound.nicira.NiciraRegMove;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.projectfloodlight.openflow.protocol.OFBucket;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionDecNwTtl;
import org.projectfloodlight.openflow.protocol.action.OFActionGroup;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.action.OFActionSetField;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionGotoTable;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionWriteMetadata;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;
import org.projectfloodlight.openflow.types.OFMetadata;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.OFValueType;

/**
 * A small OpenFlow 1.3 interpreter over a {@link DesiredState}: answers "where does this packet
 * go?" the way OVS would for the subset Ferry uses (apply-actions, write-metadata, goto, ALL
 * groups, set_field, Nicira move, dec_ttl, conntrack with source NAT ({@link Conntrack}), output
 * skipping the in_port unless IN_PORT, table miss = drop; meters are not modelled: a metered
 * packet-in is reported as sent; at another experimenter action the walk stops and says so).
 * Two flows of equal priority matching one packet are a compiler bug; the tracer refuses them.
 */
public final class PacketTracer {
  private static final int MAX_TABLES = 255;
  private final DesiredState state;
  private final Conntrack conntrack;

  public PacketTracer(DesiredState state) {
    this(state, new Conntrack());
  }

  /** With this host's connection table (kept across traces: replies find their connection). */
  public PacketTracer(DesiredState state, Conntrack conntrack) {
    this.state = state;
    this.conntrack = conntrack;
  }

  public TraceResult trace(Packet packet) {
    Run run = new Run();
    Packet p = packet;
    Optional<Integer> table = Optional.of(0);
    for (int hops = 0; table.isPresent() && hops < MAX_TABLES; hops++) {
      Optional<FlowEntry> flow = lookup(table.get(), p);
      if (flow.isEmpty()) {
        run.steps.add("table " + table.get() + ": miss, drop");
        run.path.add(new TraceResult.Step(table.get(), null, p));
        break;
      }
      run.steps.add(FlowText.flow(flow.get(), FlowText.Style.NAMED));
      run.path.add(new TraceResult.Step(table.get(), flow.get(), p));
      p = execute(flow.get().instructions(), p, run);
      if (run.unmodelled != null) {
        break;
      }
      table = run.next;
      run.next = Optional.empty();
    }
    return new TraceResult(List.copyOf(run.outputs), List.copyOf(run.toController),
        List.copyOf(run.steps), List.copyOf(run.path), Optional.ofNullable(run.unmodelled));
  }

  private Optional<FlowEntry> lookup(int table, Packet p) {
    List<FlowEntry> all = state.flows().stream()
        .filter(f -> f.tableId() == table && matches(f.match(), p))
        .sorted(Comparator.comparingInt(FlowEntry::priority).reversed()).toList();
    List<FlowEntry> hits = all.stream().filter(f -> conjunctions(f).isEmpty()).toList();
    // Conjunctive matches (OVS): per priority, an id whose every clause matched one flow.
    java.util.TreeMap<Integer, java.util.TreeMap<Long, java.util.Set<Integer>>> byPriority =
        new java.util.TreeMap<>(Comparator.reverseOrder());
    java.util.Map<Long, Integer> clausesOf = new java.util.HashMap<>();
    for (FlowEntry f : all) {
      for (NiciraConjunction c : conjunctions(f)) {
        byPriority.computeIfAbsent(f.priority(), k -> new java.util.TreeMap<>())
            .computeIfAbsent(c.id(), k -> new java.util.HashSet<>()).add(c.clause());
        clausesOf.put(c.id(), c.clauses());
      }
    }
    int regularTop = hits.isEmpty() ? -1 : hits.get(0).priority();
    for (var e : byPriority.entrySet()) {
      if (e.getKey() < regularTop) {
        break;
      }
      for (var id : e.getValue().entrySet()) {
        if (id.getValue().size() == clausesOf.get(id.getKey())) {
          Packet withId = p.with(ConjunctionId.FIELD, ConjunctionId.of(id.getKey()));
          return state.flows().stream().filter(f -> f.tableId() == table && conjunctions(f).isEmpty()
              && f.match().get(ConjunctionId.FIELD) != null && matches(f.match(), withId)).findFirst();
        }
      }
    }
    if (hits.size() > 1 && hits.get(0).priority() == hits.get(1).priority()) {
      throw new IllegalStateException("ambiguous match in table " + table + ": "
          + FlowText.flow(hits.get(0), FlowText.Style.NAMED) + " vs "
          + FlowText.flow(hits.get(1), FlowText.Style.NAMED));
    }
    return hits.stream().findFirst();
  }

  private static List<NiciraConjunction> conjunctions(FlowEntry f) {
    List<NiciraConjunction> out = new ArrayList<>();
    for (OFInstruction i : f.instructions()) {
      if (i instanceof OFInstructionApplyActions a) {
        a.getActions().stream().filter(NiciraConjunction.class::isInstance)
            .map(NiciraConjunction.class::cast).forEach(out::add);
      }
    }
    return out;
  }

  static boolean matches(Match match, Packet p) {
    for (MatchField<?> field : match.getMatchFields()) {
      if (!fieldMatches(match, field, p)) {
        return false;
      }
    }
    return true;
  }

  private static <F extends OFValueType<F>> boolean fieldMatches(
      Match match, MatchField<F> field, Packet p) {
    F value = p.get(field);
    if (value == null && (field.equals(MatchField.CONN_TRACKING_STATE)
        || field.equals(MatchField.CONN_TRACKING_MARK))) {
      @SuppressWarnings("unchecked")
      F zero = (F) org.projectfloodlight.openflow.types.U32.of(0); // OVS: untracked means ct_state 0
      value = zero;
    }
    if (value == null) {
      return false;
    }
    return match.isExact(field) ? match.get(field).equals(value)
        : match.getMasked(field).matches(value);
  }

  private Packet execute(List<OFInstruction> instructions, Packet p, Run run) {
    for (OFInstruction i : instructions) {
      if (i instanceof OFInstructionApplyActions a) {
        p = apply(a.getActions(), p, run);
      } else if (i instanceof OFInstructionWriteMetadata w) {
        long mask = w.getMetadataMask().getValue();
        long md = (p.metadata() & ~mask) | (w.getMetadata().getValue() & mask);
        p = p.with(MatchField.METADATA, OFMetadata.ofRaw(md));
      } else if (i instanceof OFInstructionGotoTable g) {
        run.next = Optional.of((int) g.getTableId().getValue());
      }
    }
    return p;
  }

  private Packet apply(List<OFAction> actions, Packet p, Run run) {
    for (OFAction a : actions) {
      if (a instanceof OFActionOutput o) {
        output(o.getPort(), p, run);
      } else if (a instanceof OFActionSetField s) {
        p = set(s.getField(), p);
      } else if (a instanceof OFActionGroup g) {
        group(g.getGroup().getGroupNumber(), p, run);
      } else if (a instanceof NiciraRegMove m) {
        p = move(m, p);
      } else if (a instanceof NiciraConntrack ct) {
        p = conntrack.apply(ct, p);
        if (ct.recircTable() != NiciraConntrack.NO_RECIRC) {
          run.next = Optional.of(ct.recircTable());
        }
      } else if (a instanceof OFActionDecNwTtl) {
        continue; // TTL is no OF1.3 match field: no later flow can depend on it
      } else if (a instanceof org.projectfloodlight.openflow.protocol.action.OFActionExperimenter) {
        // conntrack and other Nicira actions: the walk stops here and says so
        run.unmodelled = "the tracer does not model the experimenter action " + a;
        return p;
      } else {
        throw new IllegalArgumentException("tracer does not know action " + a);
      }
    }
    return p;
  }

  private static <F extends OFValueType<F>> Packet set(OFOxm<F> oxm, Packet p) {
    return p.with(oxm.getMatchField(), oxm.getValue());
  }

  private static <F extends OFValueType<F>> Packet move(NiciraRegMove m, Packet p) {
    MatchField<F> src = m.src().matchField();
    MatchField<F> dst = m.dst().matchField();
    F value = p.get(src);
    if (value == null) {
      throw new IllegalArgumentException("move from a field the packet lacks: " + m);
    }
    return p.with(dst, value);
  }

  /** OpenFlow drops output to the ingress port unless the action says IN_PORT. */
  private static void output(OFPort port, Packet p, Run run) {
    if (port.equals(OFPort.CONTROLLER)) {
      run.toController.add(p);
    } else if (port.equals(OFPort.IN_PORT)) {
      run.outputs.add(new TraceResult.Output(p.inPort(), p));
    } else if (port.getPortNumber() != p.inPort()) {
      run.outputs.add(new TraceResult.Output(port.getPortNumber(), p));
    }
  }

  private void group(int groupId, Packet p, Run run) {
    GroupEntry g = state.groups().stream().filter(e -> e.groupId() == (groupId & 0xffffffffL))
        .findFirst().orElseThrow(() -> new IllegalStateException("no group " + groupId));
    for (OFBucket b : g.buckets()) {
      apply(b.getActions(), p, run);
    }
  }

  private static final class Run {
    final List<TraceResult.Output> outputs = new ArrayList<>();
    final List<Packet> toController = new ArrayList<>();
    final List<String> steps = new ArrayList<>();
    final List<TraceResult.Step> path = new ArrayList<>();
    String unmodelled;
    Optional<Integer> next = Optional.empty();
  }
}
