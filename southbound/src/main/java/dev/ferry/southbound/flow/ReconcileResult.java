package dev.ferry.southbound.flow;

import java.time.Duration;

/**
 * What one reconcile changed on a switch, and how long it took.
 *
 * @param installed what the switch holds now (shared flow instances): the base of the next
 *     incremental reconcile of the same connection
 * @param installedAs how the difference went to the switch
 */
public record ReconcileResult(
    int flowsAdded,
    int flowsModified,
    int flowsDeleted,
    int flowsUnchanged,
    int groupsChanged,
    int metersChanged,
    Duration duration,
    DesiredState installed,
    InstalledAs installedAs) {

  /** How a reconcile's messages were sent. */
  public enum InstalledAs {
    /** Message by message in phases (small changes, OF1.0, bundles off). */
    PLAIN,
    /** One atomic OpenFlow bundle. */
    BUNDLE,
    /** The switch refused the bundle; sent message by message: send no more bundles to it. */
    PLAIN_BUNDLES_REFUSED
  }

  /** Flow-mods sent: zero for a switch that already held the desired state. */
  public int flowMods() {
    return flowsAdded + flowsModified + flowsDeleted;
  }

  @Override
  public String toString() {
    return "ReconcileResult[+" + flowsAdded + " ~" + flowsModified + " -" + flowsDeleted + " ="
        + flowsUnchanged + " flows, " + groupsChanged + " groups, " + metersChanged + " meters, "
        + duration.toMillis() + " ms, " + installedAs + "]";
  }

  public boolean changedNothing() {
    return flowMods() == 0 && groupsChanged == 0 && metersChanged == 0;
  }
}
