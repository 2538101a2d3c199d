package dev.ferry.tests.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFBarrierReply;
import org.projectfloodlight.openflow.protocol.OFBucket;
import org.projectfloodlight.openflow.protocol.OFEchoReply;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesReply;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFGetConfigReply;
import org.projectfloodlight.openflow.protocol.OFGroupDescStatsReply;
import org.projectfloodlight.openflow.protocol.OFGroupType;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFMeterConfigStatsReply;
import org.projectfloodlight.openflow.protocol.OFMeterFlags;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsReply;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/** The switch side of the handshake and the tables, told as a controller would see them. */
class EmulatedSwitchTest {
  private final OFFactory of13 = OFFactories.getFactory(OFVersion.OF_13);

  @Test
  void anOf13HandshakeAnswersEveryRequestAControllerSends() {
    SwitchHarnessStory story = handshaken(OFVersion.OF_13, 42);
    story.controllerSends(of13.buildEchoRequest().setXid(7).setData(new byte[] {1, 2}).build());
    OFEchoReply echo = assertInstanceOf(OFEchoReply.class, story.reply());
    assertEquals(7, echo.getXid());
    story.controllerSends(of13.getConfigRequest());
    assertInstanceOf(OFGetConfigReply.class, story.reply());
    story.controllerSends(of13.buildPortDescStatsRequest().setXid(9).build());
    OFPortDescStatsReply ports = assertInstanceOf(OFPortDescStatsReply.class, story.reply());
    assertEquals(List.of(OFPort.of(1), OFPort.of(2), OFPort.of(3), OFPort.of(SwitchDescription.TUNNEL_PORT)),
        ports.getEntries().stream().map(p -> p.getPortNo()).toList());
    assertEquals("vxlan0", ports.getEntries().get(3).getName());
    story.controllerSends(of13.buildBarrierRequest().setXid(11).build());
    assertEquals(11, assertInstanceOf(OFBarrierReply.class, story.reply()).getXid());
  }

  @Test
  void anOf10SwitchListsItsPortsInTheFeaturesReply() {
    OFFactory of10 = OFFactories.getFactory(OFVersion.OF_10);
    SwitchHarnessStory story = new SwitchHarnessStory(OFVersion.OF_10, 5);
    assertInstanceOf(OFHello.class, story.reply());
    story.controllerSends(of10.buildHello().build());
    story.controllerSends(of10.featuresRequest());
    OFFeaturesReply features = assertInstanceOf(OFFeaturesReply.class, story.reply());
    assertEquals(5, features.getDatapathId().getLong());
    assertEquals(4, features.getPorts().size(), "3 ports and the tunnel port");
    assertTrue(story.sw.ready().isDone());
  }

  @Test
  void flowStatsReportWhatFlowModsLeft() {
    SwitchHarnessStory story = handshaken(OFVersion.OF_13, 1);
    story.controllerSends(flowAdd(0, 100, "02:00:00:00:00:01", 0xA1));
    story.controllerSends(flowAdd(0, 100, "02:00:00:00:00:02", 0xA2));
    story.controllerSends(flowAdd(10, 5, "02:00:00:00:00:03", 0xB1));
    // Delete everything whose cookie has 0xA0 in the high nibble: the two 0xA? flows.
    story.controllerSends(of13.buildFlowDelete().setTableId(TableId.ALL)
        .setCookie(U64.of(0xA0)).setCookieMask(U64.of(0xF0)).build());
    story.controllerSends(of13.buildFlowStatsRequest().setXid(3).setTableId(TableId.ALL).build());
    OFFlowStatsReply reply = assertInstanceOf(OFFlowStatsReply.class, story.reply());
    assertEquals(List.of(0xB1L), reply.getEntries().stream().map(e -> e.getCookie().getValue()).toList());
    assertEquals(10, reply.getEntries().get(0).getTableId().getValue());
  }

  @Test
  void modifyStrictChangesOnlyTheIdenticalFlowAndDeleteStrictRemovesIt() {
    SwitchHarnessStory story = handshaken(OFVersion.OF_13, 1);
    story.controllerSends(flowAdd(0, 100, "02:00:00:00:00:01", 1));
    story.controllerSends(flowAdd(0, 200, "02:00:00:00:00:01", 2));
    story.controllerSends(of13.buildFlowModifyStrict().setPriority(100).setMatch(ethDst("02:00:00:00:00:01"))
        .setInstructions(List.of(of13.instructions().gotoTable(TableId.of(20)))).build());
    FlowTable table = story.sw.flowTable();
    assertEquals(2, table.size());
    FlowEntry modified = table.flows().stream().filter(f -> f.priority() == 100).findFirst().orElseThrow();
    assertEquals(List.of(of13.instructions().gotoTable(TableId.of(20))), modified.instructions());
    assertEquals(1, modified.cookie().getValue(), "modify keeps the cookie");
    story.controllerSends(of13.buildFlowDeleteStrict().setPriority(200)
        .setMatch(ethDst("02:00:00:00:00:01")).build());
    assertEquals(List.of(100), table.flows().stream().map(FlowEntry::priority).toList());
  }

  @Test
  void manyFlowsComeBackInSeveralRepliesFlaggedMore() {
    SwitchHarnessStory story = handshaken(OFVersion.OF_13, 1);
    for (int i = 0; i < 1000; i++) {
      story.controllerSends(flowAdd(0, 100, MacAddress.of(0x020000000000L + i).toString(), i));
    }
    story.controllerSends(of13.buildFlowStatsRequest().setTableId(TableId.ALL).build());
    List<OFFlowStatsEntry> all = new ArrayList<>();
    OFFlowStatsReply part;
    int replies = 0;
    do {
      replies++;
      part = assertInstanceOf(OFFlowStatsReply.class, story.reply());
      all.addAll(part.getEntries());
    } while (part.getFlags().contains(OFStatsReplyFlags.REPLY_MORE));
    assertEquals(1000, all.size());
    assertTrue(replies > 1, "1000 flows do not fit one 64 KiB reply");
    assertNull(story.reply());
  }

  @Test
  void groupsAndMetersAreHeldAndReported() {
    SwitchHarnessStory story = handshaken(OFVersion.OF_13, 1);
    OFBucket flood = of13.buildBucket().setWatchGroup(OFGroup.ANY).setWatchPort(OFPort.ANY)
        .setActions(List.of(of13.actions().output(OFPort.of(2), 0))).build();
    story.controllerSends(of13.buildGroupAdd().setGroup(OFGroup.of(7)).setGroupType(OFGroupType.ALL)
        .setBuckets(List.of(flood)).build());
    story.controllerSends(of13.buildGroupAdd().setGroup(OFGroup.of(8)).setGroupType(OFGroupType.ALL)
        .setBuckets(List.of()).build());
    story.controllerSends(of13.buildGroupDelete().setGroup(OFGroup.of(8)).setGroupType(OFGroupType.ALL).build());
    story.controllerSends(of13.buildMeterMod().setCommand(org.projectfloodlight.openflow.protocol.OFMeterModCommand.ADD)
        .setMeterId(3).setFlags(java.util.Set.of(OFMeterFlags.PKTPS))
        .setMeters(List.of(of13.meterBands().buildDrop().setRate(100).build())).build());
    story.controllerSends(of13.buildGroupDescStatsRequest().build());
    OFGroupDescStatsReply groups = assertInstanceOf(OFGroupDescStatsReply.class, story.reply());
    assertEquals(1, groups.getEntries().size());
    assertEquals(List.of(flood), groups.getEntries().get(0).getBuckets());
    story.controllerSends(of13.buildMeterConfigStatsRequest().setMeterId(0xffffffffL).build());
    OFMeterConfigStatsReply meters = assertInstanceOf(OFMeterConfigStatsReply.class, story.reply());
    assertEquals(3, meters.getEntries().get(0).getMeterId());
  }

  @Test
  void anUnknownMultipartEndsTheConnectionWithAClearReason() {
    SwitchHarnessStory story = handshaken(OFVersion.OF_13, 1);
    story.controllerSends(of13.buildTableStatsRequest().build());
    assertTrue(story.sw.failure().getMessage().contains("does not understand multipart TABLE"),
        story.sw.failure().getMessage());
    assertTrue(!story.channel.isOpen());
  }

  private SwitchHarnessStory handshaken(OFVersion version, long dpid) {
    SwitchHarnessStory story = new SwitchHarnessStory(version, dpid);
    assertInstanceOf(OFHello.class, story.reply());
    OFFactory f = OFFactories.getFactory(version);
    story.controllerSends(f.buildHello().build());
    story.controllerSends(f.buildFeaturesRequest().setXid(1).build());
    OFFeaturesReply features = assertInstanceOf(OFFeaturesReply.class, story.reply());
    assertEquals(dpid, features.getDatapathId().getLong());
    assertTrue(story.sw.ready().isDone());
    return story;
  }

  private OFMessage flowAdd(int table, int priority, String dst, long cookie) {
    return of13.buildFlowAdd().setTableId(TableId.of(table)).setPriority(priority)
        .setMatch(ethDst(dst)).setCookie(U64.of(cookie))
        .setInstructions(List.of(of13.instructions().applyActions(
            List.of(of13.actions().output(OFPort.of(1), 0))))).build();
  }

  private org.projectfloodlight.openflow.protocol.match.Match ethDst(String mac) {
    return of13.buildMatch().setExact(MatchField.ETH_DST, MacAddress.of(mac)).build();
  }
}
