package dev.ferry.tests.harness;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;

/** Drives one {@link EmulatedSwitch} in an {@link EmbeddedChannel}: the controller's side of a story. */
final class SwitchHarnessStory {
  final EmulatedSwitch sw;
  final EmbeddedChannel channel;

  SwitchHarnessStory(OFVersion version, long dpid) {
    sw = new EmulatedSwitch(new SwitchDescription(dpid, 3), version, true, ReplyListener.NONE);
    channel = new EmbeddedChannel(sw);
  }

  /** The controller sends {@code msg}; returns nothing, read replies with {@link #reply()}. */
  void controllerSends(OFMessage msg) {
    ByteBuf buf = Unpooled.buffer();
    msg.writeTo(buf);
    channel.writeInbound(buf);
  }

  /** The next message the switch wrote, decoded, or null. */
  OFMessage reply() {
    ByteBuf buf = channel.readOutbound();
    if (buf == null) {
      return null;
    }
    try {
      return OFFactories.getGenericReader().readFrom(buf);
    } catch (Exception e) {
      throw new AssertionError("switch wrote an undecodable message", e);
    } finally {
      buf.release();
    }
  }
}
