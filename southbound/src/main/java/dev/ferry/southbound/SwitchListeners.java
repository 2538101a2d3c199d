package dev.ferry.southbound;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortReason;

/** The registered listeners, each call isolated so one faulty listener harms nobody. */
public final class SwitchListeners {
  private static final Logger LOG = LogManager.getLogger(SwitchListeners.class);
  private final List<SwitchListener> listeners = new CopyOnWriteArrayList<>();

  public void add(SwitchListener listener) {
    listeners.add(listener);
  }

  public void remove(SwitchListener listener) {
    listeners.remove(listener);
  }

  public void switchReady(SwitchHandle sw) {
    each(sw, "switchReady", l -> l.switchReady(sw));
  }

  public void switchDisconnected(SwitchHandle sw) {
    each(sw, "switchDisconnected", l -> l.switchDisconnected(sw));
  }

  public void portChanged(SwitchHandle sw, OFPortDesc port, OFPortReason reason) {
    each(sw, "portChanged", l -> l.portChanged(sw, port, reason));
  }

  public void packetIn(SwitchHandle sw, OFPacketIn packetIn) {
    each(sw, "packetIn", l -> l.packetIn(sw, packetIn));
  }

  private void each(SwitchHandle sw, String event, Consumer<SwitchListener> call) {
    for (SwitchListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (RuntimeException e) {
        LOG.error("dpid {}: listener {} failed in {}", sw.dpidString(), listener, event, e);
      }
    }
  }
}
