package dev.ferry.southbound.flow;

import static dev.ferry.southbound.channel.FakeSwitch.OF13;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.southbound.OpenFlowErrorException;
import dev.ferry.southbound.SouthboundConfig;
import dev.ferry.southbound.channel.FakeSwitch;
import dev.ferry.southbound.channel.SouthboundContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFBadRequestCode;
import org.projectfloodlight.openflow.protocol.OFBarrierRequest;
import org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFGroupDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFGroupMod;
import org.projectfloodlight.openflow.protocol.OFGroupType;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMeterConfigStatsRequest;
import org.projectfloodlight.openflow.protocol.OFMeterMod;
import org.projectfloodlight.openflow.protocol.OFMeterModCommand;
import org.projectfloodlight.openflow.protocol.OFStatsRequest;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * The reconciler against a scripted switch: it answers the three reads with a given actual
 * state, answers every barrier, and records what the controller sent, in order.
 */
class FlowReconcilerTest {
  private final SouthboundContext context = SouthboundContext.of(SouthboundConfig.defaults());
  private final FakeSwitch sw = new FakeSwitch(context).connectAs(0xa1);
  private final List<OFMessage> sent = new ArrayList<>();
  private List<FlowEntry> actualFlows = List.of();
  private List<GroupEntry> actualGroups = List.of();
  private List<MeterEntry> actualMeters = List.of();
  private Long rejectXidOfPriority;
  private int reads;

  @Test
  void anUnchangedSwitchGetsNoFlowModsAtAll() {
    List<FlowEntry> flows = List.of(flow(1, 10), flow(2, 10));
    actualFlows = flows;
    ReconcileResult result = reconcile(new FlowReconciler(1000, 4, id -> true, id -> true, Runnable::run), desired(flows));
    assertEquals(0, result.flowMods());
    assertTrue(result.changedNothing());
    assertEquals(2, result.flowsUnchanged());
    assertTrue(sent.isEmpty(), "only the three reads went out: " + sent);
  }

  @Test
  void theReadIsRestrictedToFerrysCookieSpace() {
    reconcile(new FlowReconciler(1000, 4, id -> true, id -> true, Runnable::run), desired(List.of()));
    // asserted inside answer(): the flow-stats request carries FERRY_TAG under FERRY_MASK
  }

  @Test
  void phasesRunInTheOrderThatNeverDropsTraffic() {
    actualFlows = List.of(flow(1, 10), flow(2, 10), flow(3, 10));
    actualGroups = List.of(group(1, 1), group(9, 1));
    actualMeters = List.of(new MeterEntry(1, true, 10, 0), new MeterEntry(9, true, 10, 0));
    DesiredState desired = new DesiredState(
        List.of(flow(1, 10), flow(2, 11), flow(4, 10)),          // keep, modify, add; 3 goes
        List.of(group(1, 2), group(2, 1)),                       // modify 1, add 2, delete 9
        List.of(new MeterEntry(1, true, 20, 0), new MeterEntry(2, true, 10, 0))); // same shape

    ReconcileResult result = reconcile(new FlowReconciler(1000, 4, id -> true, id -> true, Runnable::run), desired);

    assertEquals(List.of("meter ADD 2", "meter MODIFY 1", "|", "group ADD 2", "group MODIFY 1",
        "|", "flow ADD 4", "flow MODIFY_STRICT 2", "|", "flow DELETE_STRICT 3", "|",
        "group DELETE 9", "|", "meter DELETE 9", "|"), story());
    assertEquals(1, result.flowsAdded());
    assertEquals(1, result.flowsModified());
    assertEquals(1, result.flowsDeleted());
    assertEquals(3, result.groupsChanged());
    assertEquals(3, result.metersChanged());
  }

  @Test
  void deletesAreStrictAndCookieMaskedSoForeignFlowsCannotBeHit() {
    actualFlows = List.of(flow(3, 10));
    reconcile(new FlowReconciler(1000, 4, id -> true, id -> true, Runnable::run), desired(List.of()));
    OFFlowDeleteStrict delete = (OFFlowDeleteStrict) sent.get(0);
    assertEquals(U64.of(FerryCookie.FERRY_TAG), delete.getCookie());
    assertEquals(U64.of(FerryCookie.FERRY_MASK), delete.getCookieMask());
    assertEquals(3, delete.getPriority());
  }

  @Test
  void aChangedCookieIsWrittenWithAnAddThatReplacesTheFlow() {
    actualFlows = List.of(flow(1, 10));
    FlowEntry recookied = new FlowEntry(0, 1, match(1), output(10), FerryCookie.of(4, 4));
    reconcile(new FlowReconciler(1000, 4, id -> true, id -> true, Runnable::run), desired(List.of(recookied)));
    assertEquals(List.of("flow ADD 1", "|"), story());
  }

  @Test
  void largeBatchesAreChunkedBehindBarriers() {
    List<FlowEntry> flows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      flows.add(flow(i, 10));
    }
    reconcile(new FlowReconciler(3, 2, id -> true, id -> true, Runnable::run), desired(flows));
    long barriers = story().stream().filter("|"::equals).count();
    assertEquals(4, barriers, "10 flows in chunks of 3: " + story());
  }

  @Test
  void aRejectedAddStopsTheReconcileBeforeAnythingIsDeleted() {
    actualFlows = List.of(flow(3, 10));
    rejectXidOfPriority = 4L;
    CompletableFuture<ReconcileResult> run =
        new FlowReconciler(1000, 4, id -> true, id -> true, Runnable::run).reconcile(sw.handle(), desired(List.of(flow(4, 10))));
    answerUntilQuiet();
    CompletionException failure = org.junit.jupiter.api.Assertions.assertThrows(
        CompletionException.class, run::join);
    assertInstanceOf(OpenFlowErrorException.class, failure.getCause());
    assertTrue(sent.stream().noneMatch(m -> m instanceof OFFlowDeleteStrict),
        "old flows stay until the new ones are in: " + story());
  }

  @Test
  void groupsAndMetersOutsideTheOwnedRangeAreLeftAlone() {
    actualGroups = List.of(group(500, 1));
    actualMeters = List.of(new MeterEntry(500, true, 10, 0));
    reconcile(new FlowReconciler(1000, 4, id -> id < 100, id -> id < 100, Runnable::run), desired(List.of()));
    assertTrue(sent.isEmpty(), story().toString());
  }

  @Test
  void anUpdateAfterAFullReconcileDiffsLocallyAndSendsOnlyTheChange() {
    FlowReconciler reconciler = new FlowReconciler(1000, 4, id -> true, id -> true, Runnable::run);
    DesiredState installed = reconcile(reconciler, desired(List.of(flow(1, 10), flow(2, 10)))).installed();
    sent.clear();
    reads = 0;
    ReconcileResult r = update(reconciler, installed, desired(List.of(flow(1, 10), flow(2, 11), flow(3, 10))));
    assertEquals(0, reads, "an update of a known switch reads nothing back");
    assertEquals(1, r.flowsAdded());
    assertEquals(1, r.flowsModified());
    assertEquals(1, r.flowsUnchanged());
    assertEquals(List.of("flow ADD 3", "flow MODIFY_STRICT 2", "|"), story());
    sent.clear();
    assertTrue(update(reconciler, r.installed(), desired(List.of(flow(1, 10)))).flowsDeleted() == 2);
    assertEquals(0, reads);
  }

  // ---- the scripted switch ----

  private ReconcileResult update(FlowReconciler reconciler, DesiredState installed, DesiredState desired) {
    CompletableFuture<ReconcileResult> run = reconciler.update(sw.handle(), installed, desired);
    answerUntilQuiet();
    assertTrue(run.isDone(), "update finished once the switch answered everything");
    return run.join();
  }

  private ReconcileResult reconcile(FlowReconciler reconciler, DesiredState desired) {
    CompletableFuture<ReconcileResult> run = reconciler.reconcile(sw.handle(), desired);
    answerUntilQuiet();
    assertTrue(run.isDone(), "reconcile finished once the switch answered everything");
    return run.join();
  }

  private void answerUntilQuiet() {
    for (OFMessage m = sw.nextSent(); m != null; m = sw.nextSent()) {
      answer(m);
    }
  }

  private void answer(OFMessage m) {
    if (m instanceof OFStatsRequest<?>) {
      reads++;
    }
    if (m instanceof OFFlowStatsRequest request) {
      assertEquals(U64.of(FerryCookie.FERRY_TAG), request.getCookie());
      assertEquals(U64.of(FerryCookie.FERRY_MASK), request.getCookieMask());
      sw.receive(OF13.buildFlowStatsReply().setXid(m.getXid()).setEntries(
          actualFlows.stream().map(FlowReconcilerTest::statsEntry).toList()).build());
    } else if (m instanceof OFGroupDescStatsRequest) {
      sw.receive(OF13.buildGroupDescStatsReply().setXid(m.getXid()).setEntries(actualGroups
          .stream().map(g -> OF13.buildGroupDescStatsEntry().setGroup(OFGroup.of((int) g.groupId()))
              .setGroupType(g.type()).setBuckets(g.buckets()).build()).toList()).build());
    } else if (m instanceof OFMeterConfigStatsRequest) {
      sw.receive(OF13.buildMeterConfigStatsReply().setXid(m.getXid()).setEntries(actualMeters
          .stream().map(FlowReconcilerTest::meterConfig).toList()).build());
    } else if (m instanceof OFStatsRequest<?>) {
      throw new AssertionError("unexpected read " + m);
    } else if (m instanceof OFBarrierRequest) {
      sent.add(m);
      sw.receive(OF13.buildBarrierReply().setXid(m.getXid()).build());
    } else {
      sent.add(m);
      if (rejectXidOfPriority != null && m instanceof OFFlowMod mod
          && mod.getPriority() == rejectXidOfPriority) {
        sw.receive(OF13.errorMsgs().buildBadRequestErrorMsg().setXid(m.getXid())
            .setCode(OFBadRequestCode.EPERM).build());
      }
    }
  }

  /** What the controller sent, as short words; "|" is a barrier. */
  private List<String> story() {
    return sent.stream().map(m -> {
      if (m instanceof OFBarrierRequest) {
        return "|";
      }
      if (m instanceof OFFlowMod mod) {
        return "flow " + mod.getCommand() + " " + mod.getPriority();
      }
      if (m instanceof OFGroupMod mod) {
        return "group " + mod.getCommand() + " " + mod.getGroup().getGroupNumber();
      }
      OFMeterMod mod = (OFMeterMod) m;
      return "meter " + (mod.getCommand() == OFMeterModCommand.ADD ? "ADD"
          : mod.getCommand().name()) + " " + mod.getMeterId();
    }).toList();
  }

  private static DesiredState desired(List<FlowEntry> flows) {
    return new DesiredState(flows, List.of(), List.of());
  }

  private static FlowEntry flow(int priority, int outPort) {
    return new FlowEntry(0, priority, match(priority), output(outPort), FerryCookie.of(1, 1));
  }

  private static org.projectfloodlight.openflow.protocol.match.Match match(int port) {
    return OF13.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(port)).build();
  }

  private static List<org.projectfloodlight.openflow.protocol.instruction.OFInstruction> output(
      int port) {
    return List.of(OF13.instructions().applyActions(List.of(
        OF13.actions().output(OFPort.of(port), 0))));
  }

  private static GroupEntry group(long id, int port) {
    return new GroupEntry(id, OFGroupType.ALL, List.of(OF13.buildBucket()
        .setWatchPort(OFPort.ANY).setWatchGroup(OFGroup.ANY)
        .setActions(List.of(OF13.actions().output(OFPort.of(port), 0))).build()));
  }

  private static OFFlowStatsEntry statsEntry(FlowEntry f) {
    return OF13.buildFlowStatsEntry().setTableId(TableId.of(f.tableId()))
        .setPriority(f.priority()).setMatch(f.match()).setInstructions(f.instructions())
        .setCookie(U64.of(f.cookie())).build();
  }

  private static org.projectfloodlight.openflow.protocol.OFMeterConfig meterConfig(MeterEntry m) {
    return OF13.buildMeterConfig().setMeterId(m.meterId())
        .setFlags(java.util.Set.of(m.pps()
            ? org.projectfloodlight.openflow.protocol.OFMeterFlags.PKTPS
            : org.projectfloodlight.openflow.protocol.OFMeterFlags.KBPS))
        .setEntries(List.of(OF13.meterBands().buildDrop().setRate(m.rate())
            .setBurstSize(m.burst()).build())).build();
  }
}
