package dev.ferry.controller.engine;

import dev.ferry.southbound.SwitchHandle;
import dev.ferry.southbound.flow.ReconcileResult;
import java.time.Instant;

/**
 * The reconcile history of one switch connection: how many ran, how many failed, and the last
 * result. A new connection (reconnect, controller restart) starts a new history, so "the
 * reconcile after a restart sent zero flow-mods" can be read off it.
 *
 * @param connectedSince identifies the connection the history belongs to
 */
public record SwitchReconciles(Instant connectedSince, long completed, long failed,
    ReconcileResult last, String lastError) {

  static SwitchReconciles after(SwitchReconciles old, SwitchHandle sw, ReconcileResult r, Throwable err) {
    SwitchReconciles base = old == null || !old.connectedSince.equals(sw.connectedSince())
        ? new SwitchReconciles(sw.connectedSince(), 0, 0, null, null)
        : old;
    return err == null
        ? new SwitchReconciles(base.connectedSince, base.completed + 1, base.failed, r, null)
        : new SwitchReconciles(base.connectedSince, base.completed, base.failed + 1, base.last, err.toString());
  }
}
