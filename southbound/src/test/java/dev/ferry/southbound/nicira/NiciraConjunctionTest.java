package dev.ferry.southbound.nicira;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import dev.ferry.southbound.flow.CanonicalForm;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.types.TableId;

/**
 * conjunction, the conj_id match and ct(commit,exec(move)) against OVS: the bytes ovs-ofctl
 * sends for the same text, and ovs-ofctl ofp-print reading ours.
 */
class NiciraConjunctionTest {
  static final OFFactory OF13 = NiciraConntrackTest.OF13;
  static final NiciraAction MARK = new NiciraFieldMove(NiciraFieldMove.BitField.METADATA, 40,
      NiciraFieldMove.BitField.CT_MARK, 0, 24);

  @Test
  void bytesEqualWhatOvsOfctlSends(@TempDir Path dir) throws Exception {
    assumeTrue(NiciraConntrackTest.ovsOfctlAvailable());
    assertArrayEquals(new NiciraConjunction(7, 2, 3).bytes(),
        NiciraConntrackTest.actionsOvsSends(dir, "ip", "conjunction(7,2/3)"));
    assertArrayEquals(new NiciraConjunction(0xabcdef, 1, 2).bytes(),
        NiciraConntrackTest.actionsOvsSends(dir, "ip", "conjunction(11259375,1/2)"));
    NiciraConntrack commit = NiciraConntrack.commit(0x8005, List.of(MARK));
    assertArrayEquals(commit.bytes(), NiciraConntrackTest.actionsOvsSends(dir, "ip",
        "ct(commit,zone=32773,exec(move:OXM_OF_METADATA[40..63]->NXM_NX_CT_MARK[0..23]))"));
    assertArrayEquals(NiciraConntrack.track(0x8005, 13).bytes(),
        NiciraConntrackTest.actionsOvsSends(dir, "ip", "ct(table=13,zone=32773)"));
    assertEquals("ct(commit,zone=32773,exec(move:OXM_OF_METADATA[40..63]->NXM_NX_CT_MARK[0..23]))", commit.toString());
  }

  @Test
  void theConjIdStandInGoesOnTheWireAsConjId() throws Exception {
    assumeTrue(NiciraConntrackTest.ovsOfctlAvailable());
    ByteBuf bb = Unpooled.buffer();
    OF13.buildFlowAdd().setXid(1).setMatch(OF13.buildMatch().setExact(ConjunctionId.FIELD, ConjunctionId.of(7)).build())
        .setInstructions(List.of(OF13.instructions().applyActions(List.of(new NiciraConjunction(7, 1, 2))))).build()
        .writeTo(bb);
    ConjunctionId.toWire(bb, 0);
    byte[] wire = new byte[bb.readableBytes()];
    bb.getBytes(0, wire);
    String printed = NiciraConntrackTest.ofpPrint(wire);
    assertTrue(printed.contains("conj_id=7") && printed.contains("actions=conjunction(7,1/2)"), printed);
  }

  @Test
  void aBundledFlowModCarriesConjIdOnTheWireToo() throws Exception {
    assumeTrue(NiciraConntrackTest.ovsOfctlAvailable());
    var flow = OF13.buildFlowAdd().setXid(1).setMatch(OF13.buildMatch().setExact(ConjunctionId.FIELD, ConjunctionId.of(7)).build())
        .setInstructions(List.of(OF13.instructions().applyActions(List.of(new NiciraConjunction(7, 1, 2))))).build();
    ByteBuf bb = Unpooled.buffer();
    dev.ferry.southbound.flow.OnfBundle.add(3, flow).writeTo(bb);
    byte[] wire = new byte[bb.readableBytes()];
    bb.getBytes(0, wire);
    String printed = NiciraConntrackTest.ofpPrint(wire);
    // OVS refused the stand-in (BSN VRF) inside a bundle with OFPBMC_BAD_FIELD before the fix
    assertTrue(printed.contains("conj_id=7") && !printed.contains("bsn_vrf"), printed);
  }

  @Test
  void flowStatsWithConjIdAndTheNewActionsReadBackEqual() throws Exception {
    List<OFInstruction> sent = List.of(OF13.instructions().applyActions(
        List.of(NiciraConntrack.commit(0x8005, List.of(MARK)), new NiciraConjunction(9, 1, 3))));
    var match = OF13.buildMatch().setExact(ConjunctionId.FIELD, ConjunctionId.of(9)).build();
    OFFlowStatsReply reply = OF13.buildFlowStatsReply().setXid(9).setEntries(List.of(
        OF13.buildFlowStatsEntry().setTableId(TableId.of(13)).setPriority(100).setMatch(match)
            .setInstructions(sent).build())).build();
    ByteBuf wire = Unpooled.buffer();
    reply.writeTo(wire);
    // as a switch sends it: the real conj_id header
    ConjunctionId.swap(wire, 16 + 48, wire.writerIndex(), ConjunctionId.STAND_IN_HEADER, ConjunctionId.CONJ_ID_HEADER);
    assertEquals(ConjunctionId.CONJ_ID_HEADER, wire.getInt(16 + 48 + 4));
    OFMessage decoded = OFFactories.getGenericReader().readFrom(NiciraStandIns.rewrite(wire));
    var entry = ((OFFlowStatsReply) decoded).getEntries().get(0);
    assertEquals(match, entry.getMatch());
    assertEquals(CanonicalForm.instructions(sent), CanonicalForm.instructions(entry.getInstructions()));
  }
}
