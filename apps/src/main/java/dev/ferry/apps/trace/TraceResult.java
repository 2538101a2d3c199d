package dev.ferry.apps.trace;

import java.util.List;

/**
 * Where one packet went on one switch: out of OpenFlow ports (with the packet as it left,
 * tunnel fields included) and/or to the controller. Both empty: dropped.
 */
public record TraceResult(List<Output> outputs, List<Packet> toController, List<String> steps) {

  /** The packet as it left through ofPort. */
  public record Output(int ofPort, Packet packet) {}

  public boolean dropped() {
    return outputs.isEmpty() && toController.isEmpty();
  }
}
