package dev.ferry.southbound.channel;

import static dev.ferry.southbound.channel.FakeSwitch.OF13;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.southbound.SouthboundConfig;
import dev.ferry.southbound.nicira.CraftedFlowStats;
import dev.ferry.southbound.nicira.CraftedFlowStats.Forged;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.projectfloodlight.openflow.protocol.OFFeaturesRequest;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsRequest;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.TableId;

/**
 * What anyone who reaches the OpenFlow port can send: forged lengths in the messages the
 * Nicira rewrite reads, and before the handshake anything the handshake does not need. Each
 * closes that channel only, promptly; a good switch beside it carries on.
 */
class UntrustedBytesTest {
  private final SouthboundContext context = SouthboundContext.of(SouthboundConfig.defaults());
  private final FakeSwitch good = new FakeSwitch(context).connectAs(1);

  @ParameterizedTest
  @EnumSource(value = Forged.class, names = {"ENTRY", "INSTRUCTION", "ACTION"})
  void aZeroLengthInAFlowStatsReplyClosesAReadySwitch(Forged forged) {
    FakeSwitch sw = new FakeSwitch(context).connectAs(2);
    assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> sw.receiveBytes(CraftedFlowStats.reply(99, forged, 0, false)));
    assertFalse(sw.isOpen());
    assertGoodSwitchCarriesOn();
  }

  @ParameterizedTest
  @EnumSource(value = Forged.class, names = {"NONE", "ENTRY", "INSTRUCTION", "ACTION"})
  void aFlowStatsReplyBeforeTheHandshakeClosesTheChannel(Forged forged) {
    FakeSwitch sw = new FakeSwitch(context);
    sw.controllerHello();
    assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> sw.receiveBytes(CraftedFlowStats.reply(99, forged, 0, false)));
    assertFalse(sw.isOpen());
    assertGoodSwitchCarriesOn();
  }

  @Test
  void aControllerMessageFromTheSwitchBeforeTheHandshakeClosesTheChannel() {
    FakeSwitch sw = new FakeSwitch(context);
    sw.controllerHello();
    sw.sayHello();
    sw.receive(OF13.buildFlowAdd().setXid(9).build()); // switches never send flow-mods
    assertFalse(sw.isOpen());
  }

  @Test
  void aBigPacketInBeforeTheHandshakeIsIgnoredAndTheHandshakeCompletes() {
    // OVS sends packet-ins from the flows it kept as soon as it is connected
    FakeSwitch sw = new FakeSwitch(context);
    sw.controllerHello();
    sw.sayHello();
    sw.receive(OF13.buildPacketIn().setReason(OFPacketInReason.ACTION)
        .setBufferId(OFBufferId.NO_BUFFER).setTableId(TableId.of(0)).setData(new byte[9000]).build());
    assertTrue(sw.isOpen());
    sw.answerFeatures(sw.expectSent(OFFeaturesRequest.class), 8);
    sw.answerPortDesc(sw.expectSent(OFPortDescStatsRequest.class), List.of(), false);
    assertEquals(HandshakeState.WAIT_CONFIG_BARRIER, sw.state());
  }

  @Test
  void aBigEchoBeforeTheHandshakeClosesTheChannelButAfterItIsAnswered() {
    FakeSwitch early = new FakeSwitch(context);
    early.controllerHello();
    early.receiveBytes(header(2, PreHandshake.MAX_SMALL_MESSAGE + 1)); // refused on its header alone
    assertFalse(early.isOpen());

    good.receive(OF13.buildEchoRequest().setXid(7).setData(new byte[8000]).build());
    assertEquals(7, good.nextSent().getXid());
  }

  @Test
  void aFlowStatsReplyDuringThePortDescriptionClosesTheChannel() {
    FakeSwitch sw = new FakeSwitch(context);
    sw.controllerHello();
    sw.sayHello();
    sw.answerFeatures(sw.expectSent(OFFeaturesRequest.class), 3);
    OFPortDescStatsRequest portDesc = sw.expectSent(OFPortDescStatsRequest.class);
    sw.receive(OF13.buildFlowStatsReply().setXid(portDesc.getXid())
        .setEntries(List.<OFFlowStatsEntry>of()).build());
    assertFalse(sw.isOpen());
  }

  @Test
  void theHandshakeStillCompletesWithAForeignHelloAndEchoes() {
    FakeSwitch sw = new FakeSwitch(context);
    sw.controllerHello();
    sw.receive(OF13.buildEchoRequest().setXid(3).setData(new byte[16]).build());
    sw.nextSent();
    sw.sayHello();
    sw.answerFeatures(sw.expectSent(OFFeaturesRequest.class), 4);
    sw.answerPortDesc(sw.expectSent(OFPortDescStatsRequest.class),
        List.of(FakeSwitch.port(1, "vxlan0")), false);
    assertTrue(sw.isOpen());
    assertEquals(HandshakeState.WAIT_CONFIG_BARRIER, sw.state());
  }

  private void assertGoodSwitchCarriesOn() {
    good.receive(OF13.buildEchoRequest().setXid(5).setData(new byte[0]).build());
    assertTrue(good.isOpen());
    assertEquals(5, good.nextSent().getXid());
    assertTrue(context.registry().get(1).isPresent());
  }

  private static ByteBuf header(int type, int length) {
    return Unpooled.buffer().writeByte(4).writeByte(type).writeShort(length).writeInt(1);
  }
}
