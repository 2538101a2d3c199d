package dev.ferry.southbound.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFMetadata;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

class FlowDiffTest {
  private static final OFFactory F = OFFactories.getFactory(OFVersion.OF_13);
  private static final long COOKIE = FerryCookie.of(1, 7);

  @Test
  void aFlowTheSwitchLacksIsAdded() {
    FlowEntry want = flow(10, inPort(1), output(2));
    FlowDiff diff = FlowDiff.between(List.of(want), List.of());
    assertEquals(List.of(want), diff.add());
    assertTrue(diff.modify().isEmpty() && diff.delete().isEmpty());
  }

  @Test
  void aFerryFlowNobodyWantsIsDeleted() {
    FlowEntry stale = flow(10, inPort(1), output(2));
    FlowDiff diff = FlowDiff.between(List.of(), List.of(stale));
    assertEquals(List.of(stale), diff.delete());
  }

  @Test
  void changedInstructionsUnderTheSameKeyAreAModifyNotADeleteAndAdd() {
    FlowEntry have = flow(10, inPort(1), output(2));
    FlowEntry want = flow(10, inPort(1), output(3));
    FlowDiff diff = FlowDiff.between(List.of(want), List.of(have));
    assertEquals(List.of(new FlowDiff.Change(have, want)), diff.modify());
    assertFalse(diff.modify().get(0).cookieChanged());
    assertTrue(diff.add().isEmpty() && diff.delete().isEmpty());
  }

  @Test
  void aNewCookieIsAModifyThatMustReplaceTheFlow() {
    FlowEntry have = flow(10, inPort(1), output(2));
    FlowEntry want = new FlowEntry(0, 10, inPort(1), output(2), FerryCookie.of(2, 7));
    FlowDiff.Change change = FlowDiff.between(List.of(want), List.of(have)).modify().get(0);
    assertTrue(change.cookieChanged());
  }

  @Test
  void aSwitchThatAlreadyHoldsTheDesiredFlowsNeedsNothing() {
    List<FlowEntry> flows = List.of(flow(10, inPort(1), output(2)), flow(5, inPort(2), output(1)));
    FlowDiff diff = FlowDiff.between(flows, flows);
    assertTrue(diff.isEmpty());
    assertEquals(2, diff.unchanged());
  }

  @Test
  void foreignFlowsAreNeverDeletedOrModified() {
    FlowEntry foreign = new FlowEntry(0, 10, inPort(1), output(9), 0x1234);
    FlowEntry foreignNearTag = new FlowEntry(0, 11, inPort(1), output(9), 0xFD00_0000_0000_0001L);
    FlowDiff diff = FlowDiff.between(List.of(), List.of(foreign, foreignNearTag));
    assertTrue(diff.isEmpty());
  }

  @Test
  void desiredFlowsMustCarryAFerryCookie() {
    FlowEntry untagged = new FlowEntry(0, 10, inPort(1), output(2), 0x1);
    assertThrows(IllegalArgumentException.class,
        () -> FlowDiff.between(List.of(untagged), List.of()));
  }

  @Test
  void twoDesiredFlowsWithOneKeyAreACompilerBug() {
    assertThrows(IllegalArgumentException.class, () -> FlowDiff.between(
        List.of(flow(10, inPort(1), output(2)), flow(10, inPort(1), output(3))), List.of()));
  }

  // ---- normalization: what the switch reports back must compare equal to what we built ----

  @Test
  void matchFieldOrderDoesNotMatter() {
    Match built = F.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(1))
        .setExact(MatchField.ETH_DST, MacAddress.of(2)).build();
    Match reported = matchOf(F.oxms().ethDst(MacAddress.of(2)), F.oxms().inPort(OFPort.of(1)));
    assertUnchanged(built, reported);
  }

  @Test
  void anAllOnesMaskIsTheExactField() {
    Match built = matchOf(F.oxms().metadataMasked(OFMetadata.of(U64.of(5)),
        OFMetadata.of(U64.NO_MASK)));
    Match reported = matchOf(F.oxms().metadata(OFMetadata.of(U64.of(5))));
    assertUnchanged(built, reported);
  }

  @Test
  void anAllZeroMaskIsNoField() {
    Match built = matchOf(F.oxms().ethType(EthType.ARP),
        F.oxms().arpTpaMasked(IPv4Address.of("10.0.0.1"), IPv4Address.NONE));
    Match reported = matchOf(F.oxms().ethType(EthType.ARP));
    assertUnchanged(built, reported);
  }

  @Test
  void bitsOutsideTheMaskDoNotCount() {
    Match built = matchOf(F.oxms().metadataMasked(OFMetadata.of(U64.of(0x1_0000_0005L)),
        OFMetadata.of(U64.of(0xFFFF_FFFFL))));
    Match reported = matchOf(F.oxms().metadataMasked(OFMetadata.of(U64.of(5)),
        OFMetadata.of(U64.of(0xFFFF_FFFFL))));
    assertUnchanged(built, reported);
  }

  @Test
  void aDifferentMaskIsADifferentFlow() {
    Match narrow = matchOf(F.oxms().metadataMasked(OFMetadata.of(U64.of(5)),
        OFMetadata.of(U64.of(0xFF))));
    Match wide = matchOf(F.oxms().metadataMasked(OFMetadata.of(U64.of(5)),
        OFMetadata.of(U64.of(0xFFFF))));
    FlowDiff diff = FlowDiff.between(List.of(new FlowEntry(0, 1, narrow, output(1), COOKIE)),
        List.of(new FlowEntry(0, 1, wide, output(1), COOKIE)));
    assertEquals(1, diff.add().size());
    assertEquals(1, diff.delete().size());
  }

  @Test
  void instructionsCompareInExecutionOrder() {
    List<OFInstruction> built = List.of(F.instructions().gotoTable(TableId.of(50)),
        F.instructions().applyActions(List.of(F.actions().output(OFPort.of(3), 0))));
    List<OFInstruction> reported = List.of(
        F.instructions().applyActions(List.of(F.actions().output(OFPort.of(3), 0))),
        F.instructions().gotoTable(TableId.of(50)));
    assertUnchanged(built, reported);
  }

  @Test
  void anEmptyApplyActionsIsNothing() {
    List<OFInstruction> built = List.of(F.instructions().applyActions(List.of()),
        F.instructions().gotoTable(TableId.of(50)));
    List<OFInstruction> reported = List.of(F.instructions().gotoTable(TableId.of(50)));
    assertUnchanged(built, reported);
  }

  @Test
  void outputMaxLenOnlyMattersTowardsTheController() {
    assertUnchanged(List.of(F.instructions().applyActions(List.of(F.actions().output(OFPort.of(3),
        0xFFFF)))), output(3));
    FlowDiff controller = FlowDiff.between(
        List.of(flow(1, inPort(1), toController(0xFFFF))),
        List.of(flow(1, inPort(1), toController(128))));
    assertEquals(1, controller.modify().size());
  }

  @Test
  void actionOrderInsideApplyActionsMatters() {
    List<OFInstruction> a = List.of(F.instructions().applyActions(List.of(
        F.actions().setField(F.oxms().tunnelId(U64.of(5))), F.actions().output(OFPort.of(1), 0))));
    List<OFInstruction> b = List.of(F.instructions().applyActions(List.of(
        F.actions().output(OFPort.of(1), 0), F.actions().setField(F.oxms().tunnelId(U64.of(5))))));
    assertEquals(1, FlowDiff.between(List.of(flow(1, inPort(1), a)),
        List.of(flow(1, inPort(1), b))).modify().size());
  }

  @Test
  void writeMetadataComparesOnlyTheBitsItWrites() {
    List<OFInstruction> built = List.of(F.instructions().writeMetadata(U64.of(0x1FF), U64.of(0xFF)));
    List<OFInstruction> reported = List.of(F.instructions().writeMetadata(U64.of(0xFF), U64.of(0xFF)));
    assertUnchanged(built, reported);
  }

  private static void assertUnchanged(Match built, Match reported) {
    FlowDiff diff = FlowDiff.between(List.of(new FlowEntry(0, 1, built, output(1), COOKIE)),
        List.of(new FlowEntry(0, 1, reported, output(1), COOKIE)));
    assertTrue(diff.isEmpty(), () -> CanonicalForm.match(built) + " vs "
        + CanonicalForm.match(reported));
  }

  private static void assertUnchanged(List<OFInstruction> built, List<OFInstruction> reported) {
    FlowDiff diff = FlowDiff.between(List.of(flow(1, inPort(1), built)),
        List.of(flow(1, inPort(1), reported)));
    assertTrue(diff.isEmpty(), () -> CanonicalForm.instructions(built) + " vs "
        + CanonicalForm.instructions(reported));
  }

  @SafeVarargs
  private static Match matchOf(OFOxm<?>... oxms) {
    return F.buildMatchV3().setOxmList(
        org.projectfloodlight.openflow.protocol.OFOxmList.of(oxms)).build();
  }

  private static FlowEntry flow(int priority, Match match, List<OFInstruction> instructions) {
    return new FlowEntry(0, priority, match, instructions, COOKIE);
  }

  private static Match inPort(int port) {
    return F.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(port)).build();
  }

  private static List<OFInstruction> output(int port) {
    return List.of(F.instructions().applyActions(List.of(F.actions().output(OFPort.of(port), 0))));
  }

  private static List<OFInstruction> toController(int maxLen) {
    return List.of(F.instructions().applyActions(List.of(
        F.actions().output(OFPort.CONTROLLER, maxLen))));
  }
}
