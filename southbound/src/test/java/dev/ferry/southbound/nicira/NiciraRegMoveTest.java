package dev.ferry.southbound.nicira;

import static dev.ferry.southbound.nicira.NiciraConntrackTest.OF13;
import static dev.ferry.southbound.nicira.NiciraConntrackTest.actionsOvsSends;
import static dev.ferry.southbound.nicira.NiciraConntrackTest.ofpPrint;
import static dev.ferry.southbound.nicira.NiciraConntrackTest.ovsOfctlAvailable;
import static dev.ferry.southbound.nicira.NiciraRegMove.Field.ARP_SHA;
import static dev.ferry.southbound.nicira.NiciraRegMove.Field.ARP_SPA;
import static dev.ferry.southbound.nicira.NiciraRegMove.Field.ARP_THA;
import static dev.ferry.southbound.nicira.NiciraRegMove.Field.ARP_TPA;
import static dev.ferry.southbound.nicira.NiciraRegMove.Field.ETH_DST;
import static dev.ferry.southbound.nicira.NiciraRegMove.Field.ETH_SRC;
import static dev.ferry.southbound.nicira.NiciraRegMove.Field.IPV4_DST;
import static dev.ferry.southbound.nicira.NiciraRegMove.Field.IPV4_SRC;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.southbound.flow.CanonicalForm;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.ICMPv4Type;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;

/**
 * The move encoder, and the whole ARP-responder and ICMP-echo action lists built from it and
 * openflowj's set_field, against the bytes ovs-ofctl -O OpenFlow13 sends for the same text.
 */
class NiciraRegMoveTest {
  static final MacAddress MAC = MacAddress.of("fa:16:3e:00:00:01");
  static final IPv4Address IP = IPv4Address.of("172.17.42.1");

  static final List<OFAction> ARP_REPLY = List.of(
      NiciraRegMove.move(ETH_SRC, ETH_DST),
      OF13.actions().setField(OF13.oxms().ethSrc(MAC)),
      OF13.actions().setField(OF13.oxms().arpOp(ArpOpcode.REPLY)),
      NiciraRegMove.move(ARP_SHA, ARP_THA),
      OF13.actions().setField(OF13.oxms().arpSha(MAC)),
      NiciraRegMove.move(ARP_SPA, ARP_TPA),
      OF13.actions().setField(OF13.oxms().arpSpa(IP)),
      OF13.actions().output(OFPort.IN_PORT, 0));
  static final String ARP_REPLY_TEXT = "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],"
      + "set_field:fa:16:3e:00:00:01->eth_src,set_field:2->arp_op,"
      + "move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],set_field:fa:16:3e:00:00:01->arp_sha,"
      + "move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],set_field:172.17.42.1->arp_spa,IN_PORT";

  static final List<OFAction> ECHO_REPLY = List.of(
      NiciraRegMove.move(ETH_SRC, ETH_DST),
      OF13.actions().setField(OF13.oxms().ethSrc(MAC)),
      NiciraRegMove.move(IPV4_SRC, IPV4_DST),
      OF13.actions().setField(OF13.oxms().ipv4Src(IP)),
      OF13.actions().setField(OF13.oxms().icmpv4Type(ICMPv4Type.ECHO_REPLY)),
      OF13.actions().output(OFPort.IN_PORT, 0));
  static final String ECHO_REPLY_TEXT = "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],"
      + "set_field:fa:16:3e:00:00:01->eth_src,move:NXM_OF_IP_SRC[]->NXM_OF_IP_DST[],"
      + "set_field:172.17.42.1->ip_src,set_field:0->icmp_type,IN_PORT";

  @Test
  void encodesTheNxmHeaders() {
    assertEquals("ffff001800002320000600300000000000000406" + "00000206",
        HexFormat.of().formatHex(NiciraRegMove.move(ETH_SRC, ETH_DST).bytes()));
    assertEquals("move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[]", NiciraRegMove.move(ARP_SPA, ARP_TPA).toString());
    assertThrows(IllegalArgumentException.class, () -> NiciraRegMove.move(ETH_SRC, ARP_SPA));
    assertThrows(IllegalArgumentException.class, () -> NiciraRegMove.move(ETH_SRC, ETH_SRC));
  }

  @Test
  void eachMoveEqualsWhatOvsOfctlSends(@TempDir Path dir) throws Exception {
    assumeTrue(ovsOfctlAvailable());
    for (var pair : List.of(List.of(ETH_SRC, ETH_DST), List.of(ARP_SHA, ARP_THA),
        List.of(ARP_SPA, ARP_TPA), List.of(IPV4_SRC, IPV4_DST))) {
      NiciraRegMove move = NiciraRegMove.move(pair.get(0), pair.get(1));
      String match = pair.get(0).name().startsWith("ARP") ? "arp" : "ip";
      assertArrayEquals(move.bytes(), actionsOvsSends(dir, match, move.toString()), move.toString());
    }
  }

  @Test
  void arpAndEchoRepliesEqualWhatOvsOfctlSends(@TempDir Path dir) throws Exception {
    assumeTrue(ovsOfctlAvailable());
    assertEquals(HexFormat.of().formatHex(actionsOvsSends(dir, "arp", ARP_REPLY_TEXT)),
        HexFormat.of().formatHex(bytes(ARP_REPLY)));
    assertEquals(HexFormat.of().formatHex(actionsOvsSends(dir, "icmp", ECHO_REPLY_TEXT)),
        HexFormat.of().formatHex(bytes(ECHO_REPLY)));
  }

  @Test
  void ovsOfctlReadsOurFlowModAsTheSameActions() throws Exception {
    assumeTrue(ovsOfctlAvailable());
    String printed = ofpPrint(arpFlowMod(ARP_REPLY));
    assertTrue(printed.contains("actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],"
        + "set_field:fa:16:3e:00:00:01->eth_src,set_field:2->arp_op,"
        + "move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],"), printed);
    assertTrue(printed.contains("move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],"
        + "set_field:172.17.42.1->arp_spa,IN_PORT"), printed);
  }

  /** A converged switch must compare equal, or every reconcile would rewrite the responders. */
  @Test
  void aFlowStatsReplyWithMovesComparesEqualToWhatWasSent() throws Exception {
    List<OFInstruction> arp = List.of(OF13.instructions().applyActions(ARP_REPLY));
    List<OFInstruction> echo = List.of(OF13.instructions().applyActions(ECHO_REPLY));
    OFFlowStatsReply reply = OF13.buildFlowStatsReply().setXid(3).setEntries(List.of(
        OF13.buildFlowStatsEntry().setTableId(TableId.of(20)).setPriority(100)
            .setMatch(OF13.buildMatch().setExact(MatchField.ETH_TYPE, EthType.ARP).build())
            .setInstructions(arp).build(),
        OF13.buildFlowStatsEntry().setTableId(TableId.of(20)).setPriority(100)
            .setMatch(OF13.buildMatch().setExact(MatchField.ETH_TYPE, EthType.IPv4).build())
            .setInstructions(echo).build())).build();
    ByteBuf wire = Unpooled.buffer();
    reply.writeTo(wire);
    var entries = ((OFFlowStatsReply) OFFactories.getGenericReader()
        .readFrom(NiciraStandIns.rewrite(wire))).getEntries();
    assertEquals(CanonicalForm.instructions(arp), CanonicalForm.instructions(entries.get(0).getInstructions()));
    assertEquals(CanonicalForm.instructions(echo), CanonicalForm.instructions(entries.get(1).getInstructions()));
    assertNotEquals(CanonicalForm.actions(List.of(NiciraRegMove.move(ETH_SRC, ETH_DST))),
        CanonicalForm.actions(List.of(NiciraRegMove.move(ETH_DST, ETH_SRC))));
  }

  private static byte[] arpFlowMod(List<OFAction> actions) {
    ByteBuf bb = Unpooled.buffer();
    OF13.buildFlowAdd().setXid(1).setMatch(OF13.buildMatch().setExact(MatchField.ETH_TYPE, EthType.ARP).build())
        .setInstructions(List.of(OF13.instructions().applyActions(actions))).build().writeTo(bb);
    byte[] out = new byte[bb.readableBytes()];
    bb.readBytes(out);
    return out;
  }

  private static byte[] bytes(List<OFAction> actions) {
    ByteBuf bb = Unpooled.buffer();
    actions.forEach(a -> a.writeTo(bb));
    byte[] out = new byte[bb.readableBytes()];
    bb.readBytes(out);
    return out;
  }
}
