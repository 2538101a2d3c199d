package dev.ferry.tests.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.southbound.flow.OnfBundle;
import dev.ferry.tests.lab.Shell;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

/**
 * Ferry's hand-encoded OF1.3 bundle messages, byte for byte, as OVS's own decoder reads them
 * ({@code ovs-ofctl ofp-print}): the ONF bundle add carrying a flow-mod with the outer xid,
 * and the atomic, ordered commit.
 */
class OnfBundleWireTest {
  private static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);

  @Test
  void ovsDecodesTheBundleAddAndCommitFerrySends() {
    OFFlowAdd flow = OF13.buildFlowAdd().setPriority(10).setCookie(U64.of(0xfe01))
        .setMatch(OF13.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(1)).build())
        .setInstructions(List.of(OF13.instructions().applyActions(
            List.of(OF13.actions().output(OFPort.of(2), 0))))).build();
    String add = hex(OnfBundle.add(7, flow).createBuilder().setXid(42).build());
    assertEquals("040400700000002a" + "4f4e4600" + "000008fd" + "00000007" + "0000" + "0003"
        + hex(flow.createBuilder().setXid(42).build()), add, "header, ONF id, 2301, bundle 7, flags, the flow-mod");
    String printedAdd = Shell.check("ovs-ofctl", "ofp-print", add);
    assertTrue(printedAdd.contains("ONFT_BUNDLE_ADD_MESSAGE (OF1.3) (xid=0x2a)"), printedAdd);
    assertTrue(printedAdd.contains("bundle_id=0x7 flags=atomic ordered"), printedAdd);
    assertTrue(printedAdd.contains("OFPT_FLOW_MOD (OF1.3) (xid=0x2a): ADD priority=10,in_port=1 cookie:0xfe01 actions=output:2"),
        printedAdd);

    String commit = hex(OnfBundle.commit(7).createBuilder().setXid(43).build());
    assertEquals("040400180000002b4f4e4600000008fc0000000700040003", commit);
    String printedCommit = Shell.check("ovs-ofctl", "ofp-print", commit);
    assertTrue(printedCommit.contains("ONFT_BUNDLE_CONTROL (OF1.3) (xid=0x2b):"), printedCommit);
    assertTrue(printedCommit.contains("bundle_id=0x7 type=COMMIT_REQUEST flags=atomic ordered"), printedCommit);
  }

  @Test
  void aCommitReplyAndABundleErrorBecomeMessagesOpenflowjReads() throws Exception {
    ByteBuf reply = Unpooled.buffer().writeByte(4).writeByte(4).writeShort(24).writeInt(43)
        .writeInt(OnfBundle.ONF_EXPERIMENTER).writeInt(OnfBundle.BUNDLE_CONTROL).writeInt(7)
        .writeShort(5).writeShort(3);
    OFMessage echo = OFFactories.getGenericReader().readFrom(OnfBundle.rewriteReply(reply));
    assertEquals("ECHO_REPLY", echo.getType().name());
    assertEquals(43, echo.getXid());
    ByteBuf error = Unpooled.buffer().writeByte(4).writeByte(1).writeShort(24).writeInt(44)
        .writeShort(0xffff).writeShort(2313).writeInt(OnfBundle.ONF_EXPERIMENTER).writeLong(0);
    OFMessage err = OFFactories.getGenericReader().readFrom(OnfBundle.rewriteReply(error));
    assertEquals("ERROR", err.getType().name());
    assertEquals(44, err.getXid());
  }

  private static String hex(OFMessage m) {
    ByteBuf b = Unpooled.buffer();
    m.writeTo(b);
    return ByteBufUtil.hexDump(b);
  }
}
