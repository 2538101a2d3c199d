package dev.ferry.apps.trace;

import dev.ferry.southbound.flow.FlowEntry;
import java.util.List;
import java.util.Optional;

/**
 * Where one packet went on one switch: out of OpenFlow ports (with the packet as it left,
 * tunnel fields included) and/or to the controller. Both empty: dropped. The path is every
 * table the packet visited with the flow it matched there (null: table miss) and the packet
 * as that table saw it; unmodelled says why the walk stopped early, if it did.
 */
public record TraceResult(List<Output> outputs, List<Packet> toController, List<String> steps,
    List<Step> path, Optional<String> unmodelled) {

  /** The packet as it left through ofPort. */
  public record Output(int ofPort, Packet packet) {}

  /** One table visited: the flow matched (null on a miss) and the packet as it arrived. */
  public record Step(int tableId, FlowEntry flow, Packet packet) {}

  public boolean dropped() {
    return outputs.isEmpty() && toController.isEmpty() && unmodelled.isEmpty();
  }
}
