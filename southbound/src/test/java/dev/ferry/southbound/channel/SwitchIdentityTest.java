package dev.ferry.southbound.channel;

import static dev.ferry.southbound.channel.FakeSwitch.OF13;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.southbound.SouthboundConfig;
import dev.ferry.southbound.SwitchHandle;
import dev.ferry.southbound.SwitchIdentityCheck;
import dev.ferry.southbound.SwitchListener;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFBarrierRequest;
import org.projectfloodlight.openflow.protocol.OFFeaturesRequest;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFSetConfig;

/**
 * Who may speak for a datapath id: the first live connection keeps it (a newcomer claiming it
 * is refused and never published, so it is sent no flow); a newcomer may take over from a
 * holder that is gone; and the pluggable identity check can refuse a connection by its dpid
 * and certificate before the handshake goes on.
 */
class SwitchIdentityTest {
  private final List<String> events = new ArrayList<>();
  private final List<String> checked = new ArrayList<>();
  private final SwitchIdentityCheck onlyEven = (dpid, certificate) -> {
    checked.add(dpid + " " + certificate.map(X509Certificate::toString).orElse("no certificate"));
    return dpid % 2 == 0 ? Optional.empty() : Optional.of("odd dpid");
  };
  private final SouthboundContext context =
      SouthboundContext.of(SouthboundConfig.defaults(), onlyEven);

  SwitchIdentityTest() {
    context.listeners().add(new SwitchListener() {
      @Override
      public void switchReady(SwitchHandle sw) {
        events.add("ready " + sw.remoteAddress() + " " + sw.dpidString());
      }

      @Override
      public void switchDisconnected(SwitchHandle sw) {
        events.add("disconnected " + sw.dpidString());
      }
    });
  }

  @Test
  void aSecondConnectionClaimingALiveDpidIsRefusedAndNeverPublished() {
    FakeSwitch first = new FakeSwitch(context).connectAs(0xa2);
    FakeSwitch second = handshakeUpToTheLastBarrier(0xa2);

    assertFalse(second.isOpen(), "the newcomer is closed");
    assertNull(second.nextSent(), "nothing sent to it after the handshake");
    assertTrue(first.isOpen(), "the live connection keeps its dpid");
    assertSame(first.handle(), context.registry().get(0xa2).orElseThrow());
    assertEquals(1, events.size(), "listeners heard of the first only: " + events);
    first.channel.close();
    assertEquals(List.of("disconnected 00:00:00:00:00:00:00:a2"), events.subList(1, events.size()));
  }

  @Test
  void aConnectionTakesOverFromAHolderThatIsGone() {
    FakeSwitch first = new FakeSwitch(context).connectAs(0xa4);
    first.connection().markGone(); // as after the echo timeout, before its channel is reaped
    FakeSwitch second = new FakeSwitch(context).connectAs(0xa4);

    assertTrue(second.isOpen());
    assertFalse(first.isOpen(), "the dead holder is closed");
    assertSame(second.handle(), context.registry().get(0xa4).orElseThrow());
  }

  @Test
  void aConnectionTakesOverFromAHolderThatClosed() {
    FakeSwitch first = new FakeSwitch(context).connectAs(0xa6);
    first.channel.close();
    FakeSwitch second = new FakeSwitch(context).connectAs(0xa6);
    assertSame(second.handle(), context.registry().get(0xa6).orElseThrow());
    assertEquals(3, events.size(), events.toString());
  }

  @Test
  void theIdentityCheckRefusesBeforeThePortDescription() {
    FakeSwitch sw = new FakeSwitch(context);
    sw.controllerHello();
    sw.sayHello();
    sw.answerFeatures(sw.expectSent(OFFeaturesRequest.class), 0xa7);

    assertFalse(sw.isOpen());
    assertNull(sw.nextSent(), "no PORT_DESC request to a refused switch");
    assertEquals(List.of("167 no certificate"), checked, "plain TCP: no certificate to check");
    assertTrue(context.registry().get(0xa7).isEmpty());
    assertTrue(events.isEmpty());
  }

  /** A switch that goes through the whole handshake, up to answering the config barrier. */
  private FakeSwitch handshakeUpToTheLastBarrier(long dpid) {
    FakeSwitch sw = new FakeSwitch(context);
    sw.controllerHello();
    sw.sayHello();
    sw.answerFeatures(sw.expectSent(OFFeaturesRequest.class), dpid);
    sw.answerPortDesc(sw.expectSent(OFPortDescStatsRequest.class), List.of(), false);
    sw.expectSent(OFSetConfig.class);
    OFBarrierRequest barrier = sw.expectSent(OFBarrierRequest.class);
    sw.receive(OF13.buildBarrierReply().setXid(barrier.getXid()).build());
    return sw;
  }
}
