package dev.ferry.southbound.channel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.southbound.SouthboundConfig;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;

/**
 * Read silence is reported by Netty's IdleStateHandler once per echo interval; here those
 * reports are played by hand so the test does not depend on wall-clock time.
 */
class KeepaliveTest {
  private final SouthboundContext context = SouthboundContext.of(SouthboundConfig.defaults()
      .withKeepalive(Duration.ofSeconds(5), Duration.ofSeconds(15)));

  @Test
  void aSilentSwitchIsProbedThenDeclaredDead() {
    FakeSwitch sw = new FakeSwitch(context).connectAs(7);

    silentFor(sw, 1);
    sw.expectSent(OFEchoRequest.class);
    silentFor(sw, 1);
    sw.expectSent(OFEchoRequest.class);
    assertTrue(sw.isOpen(), "10 s of silence is within the 15 s dead timeout");

    silentFor(sw, 1);
    assertFalse(sw.isOpen(), "15 s of silence: dead");
    assertTrue(context.registry().get(7).isEmpty());
  }

  @Test
  void anyMessageFromTheSwitchRestartsTheCount() {
    FakeSwitch sw = new FakeSwitch(context).connectAs(7);
    silentFor(sw, 2);
    OFEchoRequest echo = null;
    for (int i = 0; i < 2; i++) {
      echo = sw.expectSent(OFEchoRequest.class);
    }
    sw.receive(FakeSwitch.OF13.buildEchoReply().setXid(echo.getXid()).setData(new byte[0]).build());

    silentFor(sw, 2);
    assertTrue(sw.isOpen());
  }

  @Test
  void keepaliveRunsDuringTheHandshakeToo() {
    FakeSwitch sw = new FakeSwitch(context);
    sw.controllerHello();
    silentFor(sw, 1);
    sw.expectSent(OFEchoRequest.class);
    silentFor(sw, 2);
    assertFalse(sw.isOpen());
  }

  private static void silentFor(FakeSwitch sw, int intervals) {
    for (int i = 0; i < intervals; i++) {
      sw.channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
    }
  }
}
