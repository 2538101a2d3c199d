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
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;

/**
 * The ct/nat encoder against OVS itself: the bytes ovs-ofctl sends for the same actions (caught
 * on a unix socket posing as a switch), and ovs-ofctl ofp-print reading ours back.
 */
class NiciraConntrackTest {
  static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);
  static final NiciraConntrack SNAT = NiciraConntrack.commitSnat(7, IPv4Address.of("203.0.113.11"));
  static final NiciraConntrack UNNAT = NiciraConntrack.unNat(7, 0);

  @Test
  void encodesLikeOvs() {
    assertEquals("ffff003000002320002300010000000000070fff0000000000000000" .substring(0, 8),
        HexFormat.of().formatHex(SNAT.bytes()).substring(0, 8), "experimenter header, length 48");
    assertEquals(48, SNAT.bytes().length);
    assertEquals(40, UNNAT.bytes().length);
    assertEquals("ct(commit,zone=7,nat(src=203.0.113.11))", SNAT.toString());
  }

  @Test
  void bytesEqualWhatOvsOfctlSendsForTheSameActions(@TempDir Path dir) throws Exception {
    assumeTrue(ovsOfctlAvailable());
    assertArrayEquals(SNAT.bytes(), actionsOvsSends(dir, "ct(commit,zone=7,nat(src=203.0.113.11))"));
    assertArrayEquals(UNNAT.bytes(), actionsOvsSends(dir, "ct(table=0,zone=7,nat)"));
  }

  @Test
  void ovsOfctlReadsOurFlowModAsTheSameActions() throws Exception {
    assumeTrue(ovsOfctlAvailable());
    String printed = ofpPrint(flowMod(List.of(SNAT, OF13.actions().output(OFPort.of(2), 0))));
    assertTrue(printed.contains("actions=ct(commit,zone=7,nat(src=203.0.113.11)),output:2"), printed);
    printed = ofpPrint(flowMod(List.of(UNNAT)));
    assertTrue(printed.contains("actions=ct(table=0,zone=7,nat)"), printed);
  }

  @Test
  void aFlowStatsReplyWithCtActionsDecodesAndComparesEqualToWhatWasSent() throws Exception {
    List<OFInstruction> sent = List.of(OF13.instructions().applyActions(
        List.of(OF13.actions().decNwTtl(), SNAT, OF13.actions().output(OFPort.of(2), 0))));
    OFFlowStatsReply reply = OF13.buildFlowStatsReply().setXid(9).setEntries(List.of(
        OF13.buildFlowStatsEntry().setTableId(TableId.of(40)).setPriority(100)
            .setMatch(OF13.buildMatch().setExact(MatchField.ETH_TYPE, EthType.IPv4).build())
            .setInstructions(sent).build(),
        OF13.buildFlowStatsEntry().setTableId(TableId.of(0)).setPriority(90)
            .setMatch(OF13.buildMatch().build())
            .setInstructions(List.of(OF13.instructions().applyActions(List.of(UNNAT)))).build()))
        .build();
    ByteBuf wire = Unpooled.buffer();
    reply.writeTo(wire);
    OFMessage decoded = OFFactories.getGenericReader().readFrom(NiciraStandIns.rewrite(wire));
    var entries = ((OFFlowStatsReply) decoded).getEntries();
    assertEquals(CanonicalForm.instructions(sent), CanonicalForm.instructions(entries.get(0).getInstructions()));
    assertEquals(CanonicalForm.actions(List.of(UNNAT)),
        CanonicalForm.actions(((org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions)
            entries.get(1).getInstructions().get(0)).getActions()));
    assertTrue(!CanonicalForm.actions(List.of(SNAT)).equals(CanonicalForm.actions(List.of(UNNAT))));
  }

  @Test
  void otherMessagesPassUntouched() {
    ByteBuf wire = Unpooled.buffer();
    OF13.buildEchoRequest().setXid(1).build().writeTo(wire);
    assertTrue(NiciraStandIns.rewrite(wire) == wire);
  }

  static byte[] flowMod(List<OFAction> actions) {
    ByteBuf bb = Unpooled.buffer();
    OF13.buildFlowAdd().setXid(1).setMatch(OF13.buildMatch().setExact(MatchField.ETH_TYPE, EthType.IPv4).build())
        .setInstructions(List.of(OF13.instructions().applyActions(actions))).build().writeTo(bb);
    byte[] out = new byte[bb.readableBytes()];
    bb.readBytes(out);
    return out;
  }

  /** Runs `ovs-ofctl add-flow` against a unix socket that plays a switch; returns the flow-mod's actions. */
  static byte[] actionsOvsSends(Path dir, String actions) throws Exception {
    return actionsOvsSends(dir, "ip", actions);
  }

  /** The same for a flow with this match (set_field on ARP fields needs "arp"). */
  static byte[] actionsOvsSends(Path dir, String match, String actions) throws Exception {
    Path sock = dir.resolve("sw-" + System.nanoTime() + ".sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(sock));
      Process ofctl = new ProcessBuilder("ovs-ofctl", "--no-names", "-O", "OpenFlow13", "add-flow", "unix:" + sock,
          match + ",actions=" + actions).redirectErrorStream(true).start();
      try (SocketChannel ch = server.accept()) {
        while (true) {
          byte[] msg = read(ch);
          int type = msg[1];
          if (type == 0) {
            ch.write(ByteBuffer.wrap(new byte[] {4, 0, 0, 8, msg[4], msg[5], msg[6], msg[7]}));
          } else if (type == 14) {
            return applyActions(msg);
          } else if (type == 18) { // multipart request (table features): an empty reply
            byte[] r = java.util.Arrays.copyOf(msg, 16);
            r[1] = 19;
            r[2] = 0;
            r[3] = 16;
            r[10] = 0;
            r[11] = 0;
            ch.write(ByteBuffer.wrap(r));
          } else if (type == 20) {
            byte[] r = msg.clone();
            r[1] = 21;
            ch.write(ByteBuffer.wrap(r));
          }
        }
      } finally {
        ofctl.destroy();
        ofctl.waitFor(2, TimeUnit.SECONDS);
      }
    } finally {
      Files.deleteIfExists(sock);
    }
  }

  private static byte[] read(SocketChannel ch) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(8);
    while (header.hasRemaining() && ch.read(header) >= 0) { }
    int length = header.getShort(2) & 0xffff;
    ByteBuffer all = ByteBuffer.allocate(length);
    all.put(header.array());
    while (all.hasRemaining() && ch.read(all) >= 0) { }
    return all.array();
  }

  /** The actions of a one-instruction apply-actions flow-mod. */
  private static byte[] applyActions(byte[] flowMod) {
    ByteBuffer b = ByteBuffer.wrap(flowMod);
    int matchLength = b.getShort(48 + 2) & 0xffff;
    int instruction = 48 + (matchLength + 7) / 8 * 8;
    int length = b.getShort(instruction + 2) & 0xffff;
    return java.util.Arrays.copyOfRange(flowMod, instruction + 8, instruction + length);
  }

  static boolean ovsOfctlAvailable() {
    try {
      return new ProcessBuilder("ovs-ofctl", "--version").start().waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  static String ofpPrint(byte[] message) throws Exception {
    Process p = new ProcessBuilder("ovs-ofctl", "ofp-print", HexFormat.of().formatHex(message))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(5, TimeUnit.SECONDS);
    return out;
  }
}
