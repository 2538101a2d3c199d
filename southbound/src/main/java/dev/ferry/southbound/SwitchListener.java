package dev.ferry.southbound;

import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortReason;

/**
 * Receives switch events. Called on the switch's Netty event loop: return quickly and hand
 * long work to another executor. An exception thrown here is logged and does not affect the
 * switch connection or the other listeners.
 */
public interface SwitchListener {
  default void switchReady(SwitchHandle sw) {}

  default void switchDisconnected(SwitchHandle sw) {}

  default void portChanged(SwitchHandle sw, OFPortDesc port, OFPortReason reason) {}

  default void packetIn(SwitchHandle sw, OFPacketIn packetIn) {}
}
