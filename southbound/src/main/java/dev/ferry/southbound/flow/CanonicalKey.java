package dev.ferry.southbound.flow;

/** A flow's identity on a switch in canonical form: (table, priority, normalized match). */
public record CanonicalKey(int tableId, int priority, String match) {
  public static CanonicalKey of(FlowEntry flow) {
    return new CanonicalKey(flow.tableId(), flow.priority(), CanonicalForm.match(flow.match()));
  }

  @Override
  public String toString() {
    return "table=" + tableId + ",priority=" + priority + (match.isEmpty() ? "" : "," + match);
  }
}
