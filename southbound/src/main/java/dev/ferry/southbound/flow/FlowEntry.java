package dev.ferry.southbound.flow;

import java.util.List;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.match.Match;

/**
 * One desired flow. Its identity on a switch is (table, priority, match); the cookie and the
 * instructions are its content, so a changed action is a modify, not a delete plus add.
 */
public record FlowEntry(
    int tableId, int priority, Match match, List<OFInstruction> instructions, long cookie) {

  public FlowEntry {
    instructions = List.copyOf(instructions);
  }

  /** The identity OpenFlow itself uses for a strict flow-mod. */
  public record Key(int tableId, int priority, Match match) {}

  public Key key() {
    return new Key(tableId, priority, match);
  }
}
