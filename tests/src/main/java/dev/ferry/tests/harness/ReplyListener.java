package dev.ferry.tests.harness;

import io.netty.buffer.ByteBuf;

/**
 * The load side's view of one emulated switch: called on the switch's event loop. The frame
 * is only valid during the call (it is released afterwards).
 */
public interface ReplyListener {
  /** The handshake is done: features answered, load may start. */
  void onReady(EmulatedSwitch sw);

  void onPacketOut(EmulatedSwitch sw, ByteBuf frame);

  void onFlowMod(EmulatedSwitch sw, ByteBuf frame);

  /** Netty drained the socket: the moment to flush what the listener wrote meanwhile. */
  default void onReadComplete(EmulatedSwitch sw) {}

  ReplyListener NONE = new ReplyListener() {
    @Override public void onReady(EmulatedSwitch sw) {}

    @Override public void onPacketOut(EmulatedSwitch sw, ByteBuf frame) {}

    @Override public void onFlowMod(EmulatedSwitch sw, ByteBuf frame) {}
  };
}
