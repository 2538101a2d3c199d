package dev.ferry.southbound.flow;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFGroupType;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMeterFlags;
import org.projectfloodlight.openflow.protocol.OFMeterModCommand;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * The diff as OpenFlow messages, in phases that must not overtake each other. The order makes
 * every intermediate state a superset of what old and new both forward: whatever a flow points
 * at (meter, group) exists before the flow, flows change before the old ones go, and groups and
 * meters go only after no Ferry flow points at them. Pure.
 */
public record ReconcilePlan(List<Phase> phases) {

  /** Messages that may be sent in any order among themselves. */
  public record Phase(String name, List<OFMessage> messages) {}

  public static ReconcilePlan of(
      OFFactory factory, FlowDiff flows, GroupDiff groups, MeterDiff meters) {
    Messages m = new Messages(factory);
    List<Phase> phases = new ArrayList<>();
    addPhase(phases, "meters add/modify", m.meters(meters));
    addPhase(phases, "groups add/modify", m.groups(groups));
    addPhase(phases, "flows add/modify", m.flowUpserts(flows));
    addPhase(phases, "flows delete", m.flowDeletes(flows));
    addPhase(phases, "groups delete", m.groupDeletes(groups));
    addPhase(phases, "meters delete", m.meterDeletes(meters));
    return new ReconcilePlan(List.copyOf(phases));
  }

  public int messageCount() {
    return phases.stream().mapToInt(p -> p.messages().size()).sum();
  }

  private static void addPhase(List<Phase> phases, String name, List<OFMessage> messages) {
    if (!messages.isEmpty()) {
      phases.add(new Phase(name, List.copyOf(messages)));
    }
  }

  /** Builders of each message kind. */
  private record Messages(OFFactory f) {
    private static final U64 TAG = U64.of(FerryCookie.FERRY_TAG);
    private static final U64 MASK = U64.of(FerryCookie.FERRY_MASK);

    List<OFMessage> meters(MeterDiff diff) {
      List<OFMessage> out = new ArrayList<>();
      diff.add().forEach(meter -> out.add(meterMod(OFMeterModCommand.ADD, meter)));
      diff.modify().forEach(meter -> out.add(meterMod(OFMeterModCommand.MODIFY, meter)));
      return out;
    }

    List<OFMessage> groups(GroupDiff diff) {
      List<OFMessage> out = new ArrayList<>();
      diff.add().forEach(g -> out.add(f.buildGroupAdd().setGroup(group(g))
          .setGroupType(g.type()).setBuckets(g.buckets()).build()));
      diff.modify().forEach(g -> out.add(f.buildGroupModify().setGroup(group(g))
          .setGroupType(g.type()).setBuckets(g.buckets()).build()));
      return out;
    }

    /** Adds, and rewrites in place: MODIFY_STRICT keeps counters; a new cookie needs an ADD. */
    List<OFMessage> flowUpserts(FlowDiff diff) {
      List<OFMessage> out = new ArrayList<>();
      diff.add().forEach(flow -> out.add(flowAdd(flow)));
      for (FlowDiff.Change change : diff.modify()) {
        out.add(change.cookieChanged() ? flowAdd(change.desired()) : flowModify(change.desired()));
      }
      return out;
    }

    /** Strict deletes restricted to Ferry's cookie space, so a foreign flow can never match. */
    List<OFMessage> flowDeletes(FlowDiff diff) {
      List<OFMessage> out = new ArrayList<>();
      for (FlowEntry flow : diff.delete()) {
        out.add(f.buildFlowDeleteStrict()
            .setTableId(TableId.of(flow.tableId()))
            .setPriority(flow.priority())
            .setMatch(flow.wireMatch())
            .setCookie(TAG)
            .setCookieMask(MASK)
            .setOutPort(OFPort.ANY)
            .setOutGroup(OFGroup.ANY)
            .build());
      }
      return out;
    }

    List<OFMessage> groupDeletes(GroupDiff diff) {
      List<OFMessage> out = new ArrayList<>();
      diff.delete().forEach(g -> out.add(f.buildGroupDelete().setGroup(group(g))
          .setGroupType(OFGroupType.ALL).build()));
      return out;
    }

    List<OFMessage> meterDeletes(MeterDiff diff) {
      List<OFMessage> out = new ArrayList<>();
      diff.delete().forEach(meter -> out.add(f.buildMeterMod()
          .setCommand(OFMeterModCommand.DELETE).setMeterId(meter.meterId())
          .setFlags(Set.of()).setMeters(List.of()).build()));
      return out;
    }

    private OFMessage flowAdd(FlowEntry flow) {
      return f.buildFlowAdd()
          .setTableId(TableId.of(flow.tableId()))
          .setPriority(flow.priority())
          .setMatch(flow.wireMatch())
          .setInstructions(flow.instructions())
          .setCookie(U64.of(flow.cookie()))
          .build();
    }

    private OFMessage flowModify(FlowEntry flow) {
      return f.buildFlowModifyStrict()
          .setTableId(TableId.of(flow.tableId()))
          .setPriority(flow.priority())
          .setMatch(flow.wireMatch())
          .setInstructions(flow.instructions())
          .setCookie(U64.of(flow.cookie()))
          .setCookieMask(MASK)
          .build();
    }

    private OFMessage meterMod(OFMeterModCommand command, MeterEntry meter) {
      Set<OFMeterFlags> flags = EnumSet.of(meter.pps() ? OFMeterFlags.PKTPS : OFMeterFlags.KBPS);
      if (meter.burst() > 0) {
        flags.add(OFMeterFlags.BURST);
      }
      return f.buildMeterMod()
          .setCommand(command)
          .setMeterId(meter.meterId())
          .setFlags(flags)
          .setMeters(List.of(f.meterBands().buildDrop()
              .setRate(meter.rate()).setBurstSize(meter.burst()).build()))
          .build();
    }

    private static OFGroup group(GroupEntry g) {
      return OFGroup.of((int) g.groupId());
    }
  }
}
