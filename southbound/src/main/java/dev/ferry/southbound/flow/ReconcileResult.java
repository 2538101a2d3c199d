package dev.ferry.southbound.flow;

import java.time.Duration;

/** What one reconcile changed on a switch, and how long it took. */
public record ReconcileResult(
    int flowsAdded,
    int flowsModified,
    int flowsDeleted,
    int flowsUnchanged,
    int groupsChanged,
    int metersChanged,
    Duration duration) {

  /** Flow-mods sent: zero for a switch that already held the desired state. */
  public int flowMods() {
    return flowsAdded + flowsModified + flowsDeleted;
  }

  public boolean changedNothing() {
    return flowMods() == 0 && groupsChanged == 0 && metersChanged == 0;
  }
}
