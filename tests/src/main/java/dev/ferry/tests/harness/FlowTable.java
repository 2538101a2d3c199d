package dev.ferry.tests.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * The flows one emulated switch holds, changed by flow-mods the way a switch would
 * (add replaces an identical flow; modify keeps cookie and counters; delete honours the
 * cookie mask; strict variants need table, priority and match to be identical). Out-port /
 * out-group filters of delete are not modelled: controllers under test send ANY there.
 * Not thread-safe: only the switch's event loop touches it.
 */
public final class FlowTable {
  private static final int ALL_TABLES = TableId.ALL.getValue();
  private final Map<FlowKey, FlowEntry> flows = new LinkedHashMap<>();

  public int size() { return flows.size(); }

  public List<FlowEntry> flows() { return List.copyOf(flows.values()); }

  /** Applies one flow-mod; {@code nowNanos} stamps new flows (durations in flow stats). */
  public void apply(OFFlowMod mod, long nowNanos) {
    FlowKey key = new FlowKey(tableOf(mod), mod.getPriority(), mod.getMatch());
    switch (mod.getCommand()) {
      case ADD -> flows.put(key, newEntry(key, mod, nowNanos));
      case MODIFY -> modify(mod, nonStrict(mod), key, nowNanos);
      case MODIFY_STRICT -> modify(mod, strict(key), key, nowNanos);
      case DELETE -> flows.values().removeIf(nonStrict(mod).and(cookieOf(mod)));
      case DELETE_STRICT -> flows.values().removeIf(strict(key).and(cookieOf(mod)));
      default -> throw new IllegalArgumentException("unknown flow-mod command " + mod.getCommand());
    }
  }

  /** The flows a flow-stats request selects (table or ALL, cookie mask, non-strict match). */
  public List<FlowEntry> select(OFFlowStatsRequest request) {
    int table = request.getTableId().getValue();
    Predicate<FlowEntry> selected = e -> table == ALL_TABLES || e.tableId() == table;
    selected = selected.and(e -> FlowMatching.covers(request.getMatch(), e.match()));
    if (request.getVersion() != OFVersion.OF_10) {
      U64 cookie = request.getCookie();
      U64 mask = request.getCookieMask();
      selected = selected.and(e -> FlowMatching.cookieSelects(cookie, mask, e.cookie()));
    }
    List<FlowEntry> out = new ArrayList<>();
    for (FlowEntry e : flows.values()) {
      if (selected.test(e)) {
        out.add(e);
      }
    }
    return Collections.unmodifiableList(out);
  }

  public void clear() { flows.clear(); }

  private void modify(OFFlowMod mod, Predicate<FlowEntry> which, FlowKey key, long nowNanos) {
    Predicate<FlowEntry> selected = which.and(cookieOf(mod));
    boolean any = false;
    for (Map.Entry<FlowKey, FlowEntry> e : flows.entrySet()) {
      if (selected.test(e.getValue())) {
        e.setValue(e.getValue().withTreatment(actionsOf(mod), instructionsOf(mod)));
        any = true;
      }
    }
    // OF1.0 turns a modify that hits nothing into an add; OF1.3 does nothing.
    if (!any && mod.getVersion() == OFVersion.OF_10) {
      flows.put(key, newEntry(key, mod, nowNanos));
    }
  }

  private static Predicate<FlowEntry> strict(FlowKey key) {
    return e -> e.key().equals(key);
  }

  private static Predicate<FlowEntry> nonStrict(OFFlowMod mod) {
    int table = tableOf(mod);
    Match filter = mod.getMatch();
    return e -> (table == ALL_TABLES || e.tableId() == table) && FlowMatching.covers(filter, e.match());
  }

  private static Predicate<FlowEntry> cookieOf(OFFlowMod mod) {
    if (mod.getVersion() == OFVersion.OF_10) {
      return e -> true;
    }
    U64 cookie = mod.getCookie();
    U64 mask = mod.getCookieMask();
    return e -> FlowMatching.cookieSelects(cookie, mask, e.cookie());
  }

  private static FlowEntry newEntry(FlowKey key, OFFlowMod mod, long nowNanos) {
    return new FlowEntry(key, mod.getCookie(), mod.getIdleTimeout(), mod.getHardTimeout(),
        mod.getFlags(), actionsOf(mod), instructionsOf(mod), nowNanos);
  }

  private static int tableOf(OFFlowMod mod) {
    return mod.getVersion() == OFVersion.OF_10 ? 0 : mod.getTableId().getValue();
  }

  private static List<OFAction> actionsOf(OFFlowMod mod) {
    return mod.getVersion() == OFVersion.OF_10 ? mod.getActions() : List.of();
  }

  private static List<OFInstruction> instructionsOf(OFFlowMod mod) {
    return mod.getVersion() == OFVersion.OF_10 ? List.of() : mod.getInstructions();
  }
}
