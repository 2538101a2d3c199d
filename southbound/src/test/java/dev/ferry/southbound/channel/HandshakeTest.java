package dev.ferry.southbound.channel;

import static dev.ferry.southbound.channel.FakeSwitch.OF13;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.southbound.SouthboundConfig;
import dev.ferry.southbound.SwitchHandle;
import dev.ferry.southbound.SwitchListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.projectfloodlight.openflow.protocol.OFBadRequestCode;
import org.projectfloodlight.openflow.protocol.OFBarrierRequest;
import org.projectfloodlight.openflow.protocol.OFEchoReply;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesRequest;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFHelloElemVersionbitmap;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFSetConfig;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.errormsg.OFHelloFailedErrorMsg;
import org.projectfloodlight.openflow.types.U32;

/** The handshake, told step by step from the switch's side of the wire. */
class HandshakeTest {
  private final SouthboundContext context = SouthboundContext.of(SouthboundConfig.defaults());
  private final List<String> events = new ArrayList<>();

  HandshakeTest() {
    context.listeners().add(new SwitchListener() {
      @Override
      public void switchReady(SwitchHandle sw) {
        events.add("ready " + sw.dpidString());
      }

      @Override
      public void switchDisconnected(SwitchHandle sw) {
        events.add("disconnected " + sw.dpidString());
      }
    });
  }

  @Test
  void aSwitchThatSpeaksOpenFlow13BecomesReady() {
    FakeSwitch sw = new FakeSwitch(context);

    OFHello hello = sw.controllerHello();
    assertEquals(OFVersion.OF_13, hello.getVersion());
    OFHelloElemVersionbitmap bitmap = (OFHelloElemVersionbitmap) hello.getElements().get(0);
    assertEquals(List.of(U32.of(1 << 4)), bitmap.getBitmaps(), "Ferry offers OpenFlow 1.3 only");
    assertEquals(HandshakeState.WAIT_HELLO, sw.state());

    sw.sayHello();
    OFFeaturesRequest features = sw.expectSent(OFFeaturesRequest.class);
    assertEquals(HandshakeState.WAIT_FEATURES_REPLY, sw.state());

    sw.answerFeatures(features, 0xa1);
    OFPortDescStatsRequest portDesc = sw.expectSent(OFPortDescStatsRequest.class);
    assertEquals(HandshakeState.WAIT_PORT_DESC, sw.state());

    sw.answerPortDesc(portDesc, List.of(FakeSwitch.port(1, "vxlan0")), true);
    assertNull(sw.nextSent(), "the port list is not complete yet");
    sw.answerPortDesc(portDesc, List.of(FakeSwitch.port(7, "tap7")), false);

    OFSetConfig config = sw.expectSent(OFSetConfig.class);
    assertEquals(0xFFFF, config.getMissSendLen(), "whole packets to the controller");
    OFBarrierRequest barrier = sw.expectSent(OFBarrierRequest.class);
    assertEquals(HandshakeState.WAIT_CONFIG_BARRIER, sw.state());

    sw.receive(OF13.buildBarrierReply().setXid(barrier.getXid()).build());
    assertEquals(HandshakeState.READY, sw.state());
    SwitchHandle handle = context.registry().get(0xa1).orElseThrow();
    assertEquals("00:00:00:00:00:00:00:a1", handle.dpidString());
    assertEquals(List.of(1, 7), handle.ports().keySet().stream().sorted().toList());
    assertEquals(List.of("ready 00:00:00:00:00:00:00:a1"), events);
  }

  @Test
  void connectingDeletesNothing() {
    FakeSwitch sw = new FakeSwitch(context);
    List<OFMessage> sent = new ArrayList<>();
    sent.add(sw.controllerHello());
    sw.sayHello();
    OFFeaturesRequest features = sw.expectSent(OFFeaturesRequest.class);
    sw.answerFeatures(features, 5);
    OFPortDescStatsRequest portDesc = sw.expectSent(OFPortDescStatsRequest.class);
    sw.answerPortDesc(portDesc, List.of(), false);
    sent.addAll(sw.allSent());
    assertTrue(sent.stream().noneMatch(m -> m.getType() == OFType.FLOW_MOD
        || m.getType() == OFType.GROUP_MOD || m.getType() == OFType.METER_MOD), sent.toString());
  }

  @Test
  void anOpenFlow10SwitchIsToldHelloFailedAndDropped() {
    FakeSwitch sw = new FakeSwitch(context);
    sw.controllerHello();
    OFFactory of10 = OFFactories.getFactory(OFVersion.OF_10);

    sw.receive(of10.buildHello().setXid(9).build());

    OFHelloFailedErrorMsg failed = sw.expectSent(OFHelloFailedErrorMsg.class);
    assertEquals(OFVersion.OF_10, failed.getVersion(), "answered in a version the peer reads");
    assertEquals("INCOMPATIBLE", failed.getCode().name());
    assertFalse(sw.isOpen());
    assertTrue(context.registry().all().isEmpty());
  }

  @Test
  void aBitmapWithoutOpenFlow13IsIncompatibleEvenFromANewerSwitch() {
    FakeSwitch sw = new FakeSwitch(context);
    sw.controllerHello();
    OFFactory of14 = OFFactories.getFactory(OFVersion.OF_14);
    sw.receive(of14.buildHello().setXid(3).setElements(List.of(of14.buildHelloElemVersionbitmap()
        .setBitmaps(List.of(U32.of((1 << 5) | (1 << 6)))).build())).build());

    sw.expectSent(OFHelloFailedErrorMsg.class);
    assertFalse(sw.isOpen());
  }

  @Test
  void aNewerSwitchWhoseBitmapIncludes13IsAccepted() {
    FakeSwitch sw = new FakeSwitch(context);
    sw.controllerHello();
    OFFactory of14 = OFFactories.getFactory(OFVersion.OF_14);
    sw.receive(of14.buildHello().setXid(3).setElements(List.of(of14.buildHelloElemVersionbitmap()
        .setBitmaps(List.of(U32.of((1 << 4) | (1 << 5)))).build())).build());

    sw.expectSent(OFFeaturesRequest.class);
    assertEquals(HandshakeState.WAIT_FEATURES_REPLY, sw.state());
  }

  @ParameterizedTest
  @EnumSource(value = HandshakeState.class, names = {"WAIT_HELLO", "WAIT_FEATURES_REPLY",
      "WAIT_PORT_DESC", "WAIT_CONFIG_BARRIER"})
  void anErrorDuringTheHandshakeDropsTheSwitch(HandshakeState state) {
    FakeSwitch sw = driveTo(state);

    sw.receive(badRequest(77));

    assertFalse(sw.isOpen());
    assertTrue(context.registry().all().isEmpty());
  }

  @Test
  void anErrorOnAReadySwitchIsLoggedAndTheSwitchStays() {
    FakeSwitch sw = driveTo(HandshakeState.READY);

    sw.receive(badRequest(77));

    assertTrue(sw.isOpen());
    assertEquals(HandshakeState.READY, sw.state());
  }

  @ParameterizedTest
  @EnumSource(value = HandshakeState.class, names = "CLOSING", mode = EnumSource.Mode.EXCLUDE)
  void anEchoRequestIsAnsweredInEveryState(HandshakeState state) {
    FakeSwitch sw = driveTo(state);

    sw.receive(OF13.buildEchoRequest().setXid(4242).setData(new byte[] {1, 2, 3}).build());

    OFEchoReply reply = sw.expectSent(OFEchoReply.class);
    assertEquals(4242, reply.getXid());
    assertEquals(List.of((byte) 1, (byte) 2, (byte) 3),
        List.of(reply.getData()[0], reply.getData()[1], reply.getData()[2]));
    assertEquals(state, sw.state());
  }

  @Test
  void aSwitchThatNeverFinishesTheHandshakeIsDropped() {
    FakeSwitch sw = new FakeSwitch(context);
    sw.controllerHello();
    sw.sayHello();

    sw.channel.advanceTimeBy(context.config().handshakeTimeout().toMillis() + 1,
        TimeUnit.MILLISECONDS);
    sw.channel.runScheduledPendingTasks();

    assertFalse(sw.isOpen());
  }

  @Test
  void aReadySwitchOutlivesTheHandshakeTimeout() {
    FakeSwitch sw = driveTo(HandshakeState.READY);
    sw.channel.advanceTimeBy(context.config().handshakeTimeout().toMillis() + 1,
        TimeUnit.MILLISECONDS);
    sw.channel.runScheduledPendingTasks();
    assertTrue(sw.isOpen());
  }

  @Test
  void disconnectingRemovesTheSwitchAndTellsListeners() {
    FakeSwitch sw = new FakeSwitch(context).connectAs(0xb2);
    sw.channel.close();
    assertFalse(sw.isOpen());
    assertTrue(context.registry().get(0xb2).isEmpty());
    assertEquals("disconnected 00:00:00:00:00:00:00:b2", events.get(events.size() - 1));
  }

  /** Walks a fresh connection to the given state, consuming what the controller sent. */
  private FakeSwitch driveTo(HandshakeState target) {
    FakeSwitch sw = new FakeSwitch(context);
    sw.controllerHello();
    if (target == HandshakeState.WAIT_HELLO) {
      return sw;
    }
    sw.sayHello();
    OFFeaturesRequest features = sw.expectSent(OFFeaturesRequest.class);
    if (target == HandshakeState.WAIT_FEATURES_REPLY) {
      return sw;
    }
    sw.answerFeatures(features, 0xc3);
    OFPortDescStatsRequest portDesc = sw.expectSent(OFPortDescStatsRequest.class);
    if (target == HandshakeState.WAIT_PORT_DESC) {
      return sw;
    }
    sw.answerPortDesc(portDesc, List.of(), false);
    sw.expectSent(OFSetConfig.class);
    OFBarrierRequest barrier = sw.expectSent(OFBarrierRequest.class);
    if (target == HandshakeState.WAIT_CONFIG_BARRIER) {
      return sw;
    }
    sw.receive(OF13.buildBarrierReply().setXid(barrier.getXid()).build());
    assertEquals(HandshakeState.READY, sw.state());
    return sw;
  }

  static OFMessage badRequest(long xid) {
    return OF13.errorMsgs().buildBadRequestErrorMsg().setXid(xid)
        .setCode(OFBadRequestCode.BAD_TYPE).build();
  }

}
