package dev.ferry.southbound;

import java.util.concurrent.atomic.LongAdder;

/**
 * Monotonic message counters, per switch and summed over the server. Rates (flow-mods/s) are
 * the difference of two readings over the time between them.
 */
public final class SouthboundCounters {
  private final SouthboundCounters parent;
  private final LongAdder messagesSent = new LongAdder();
  private final LongAdder flowModsSent = new LongAdder();
  private final LongAdder packetOutsSent = new LongAdder();
  private final LongAdder messagesReceived = new LongAdder();
  private final LongAdder errorsReceived = new LongAdder();

  public SouthboundCounters() {
    this(null);
  }

  /** Counters that also add into {@code parent} (a switch's counters into the server's). */
  public SouthboundCounters(SouthboundCounters parent) {
    this.parent = parent;
  }

  public void sent(boolean flowMod) {
    sent(flowMod, false);
  }

  public void sent(boolean flowMod, boolean packetOut) {
    messagesSent.increment();
    if (flowMod) {
      flowModsSent.increment();
    }
    if (packetOut) {
      packetOutsSent.increment();
    }
    if (parent != null) {
      parent.sent(flowMod, packetOut);
    }
  }

  public void received(boolean error) {
    messagesReceived.increment();
    if (error) {
      errorsReceived.increment();
    }
    if (parent != null) {
      parent.received(error);
    }
  }

  public long messagesSent() {
    return messagesSent.sum();
  }

  public long flowModsSent() {
    return flowModsSent.sum();
  }

  public long packetOutsSent() {
    return packetOutsSent.sum();
  }

  public long messagesReceived() {
    return messagesReceived.sum();
  }

  public long errorsReceived() {
    return errorsReceived.sum();
  }

  @Override
  public String toString() {
    return "sent=" + messagesSent() + " flowMods=" + flowModsSent() + " received="
        + messagesReceived() + " errors=" + errorsReceived();
  }
}
