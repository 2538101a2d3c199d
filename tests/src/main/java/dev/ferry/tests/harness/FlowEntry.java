package dev.ferry.tests.harness;

import java.util.List;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.types.U64;

/**
 * One flow held by an emulated switch. OF1.0 flows carry {@code actions}, OF1.3 flows
 * {@code instructions}; the other list is empty.
 */
public record FlowEntry(
    FlowKey key,
    U64 cookie,
    int idleTimeout,
    int hardTimeout,
    Set<OFFlowModFlags> flags,
    List<OFAction> actions,
    List<OFInstruction> instructions,
    long installedNanos) {

  public int tableId() { return key.tableId(); }

  public int priority() { return key.priority(); }

  public Match match() { return key.match(); }

  FlowEntry withTreatment(List<OFAction> newActions, List<OFInstruction> newInstructions) {
    return new FlowEntry(key, cookie, idleTimeout, hardTimeout, flags, newActions, newInstructions,
        installedNanos);
  }
}
