package dev.ferry.southbound.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.southbound.SouthboundConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Bad bytes close the connection that sent them, and only that one. */
class FramingTest {
  private final SouthboundContext context =
      SouthboundContext.of(SouthboundConfig.defaults().withMaxMessageSize(16 * 1024));

  @Test
  void garbageClosesTheChannel() {
    FakeSwitch sw = new FakeSwitch(context);
    sw.controllerHello();
    // version 0x42 does not exist; length 16 is well formed so framing passes it on
    sw.receiveBytes(bytes(0x42, 0x00, 0x00, 0x10, 1, 2, 3, 4, 9, 9, 9, 9, 9, 9, 9, 9));
    assertFalse(sw.isOpen());
  }

  @Test
  void anUnknownMessageTypeClosesTheChannel() {
    FakeSwitch sw = new FakeSwitch(context);
    sw.controllerHello();
    sw.receiveBytes(bytes(0x04, 0x7f, 0x00, 0x08, 0, 0, 0, 1));
    assertFalse(sw.isOpen());
  }

  @Test
  void aHeaderClaimingLessThanAHeaderClosesTheChannel() {
    FakeSwitch sw = new FakeSwitch(context);
    sw.controllerHello();
    sw.receiveBytes(bytes(0x04, 0x00, 0x00, 0x04, 0, 0, 0, 1));
    assertFalse(sw.isOpen());
  }

  @Test
  void aHeaderClaimingMoreThanTheLimitClosesTheChannelWithoutWaitingForTheBody() {
    FakeSwitch sw = new FakeSwitch(context);
    sw.controllerHello();
    sw.receiveBytes(bytes(0x04, 0x00, 0xff, 0xff, 0, 0, 0, 1)); // 64 KiB - 1 > 16 KiB limit
    assertFalse(sw.isOpen());
  }

  @Test
  void aPartialHeaderWaitsForMoreBytes() {
    FakeSwitch sw = new FakeSwitch(context);
    sw.controllerHello();
    sw.receiveBytes(bytes(0x04, 0x00, 0x00));
    assertTrue(sw.isOpen());
    sw.receiveBytes(bytes(0x08, 0, 0, 0, 1)); // the rest of a HELLO
    assertEquals(HandshakeState.WAIT_FEATURES_REPLY, sw.state());
  }

  @Test
  void aBadSwitchDoesNotDisturbAGoodOne() {
    FakeSwitch good = new FakeSwitch(context).connectAs(1);
    FakeSwitch bad = new FakeSwitch(context);
    bad.controllerHello();
    bad.receiveBytes(bytes(0x04, 0x00, 0xff, 0xff));
    assertFalse(bad.isOpen());

    good.receive(FakeSwitch.OF13.buildEchoRequest().setXid(5).setData(new byte[0]).build());
    assertTrue(good.isOpen());
    assertEquals(5, good.nextSent().getXid());
    assertTrue(context.registry().get(1).isPresent());
  }

  private static ByteBuf bytes(int... values) {
    ByteBuf buf = Unpooled.buffer(values.length);
    for (int v : values) {
      buf.writeByte(v);
    }
    return buf;
  }
}
