package dev.ferry.controller.rest;

import dev.ferry.controller.store.Rejection;
import java.util.Objects;

/** Tenant scoping rules shared by the tenant-owned resources. */
final class Scope {

  private Scope() {}

  /**
   * The tenant a new object belongs to. A tenant caller's own tenant by default; naming another
   * tenant reads exactly like naming one that does not exist.
   */
  static String tenantForCreate(Principal p, String requested) {
    if (p.isAdmin()) {
      return requested;
    }
    if (requested != null && !requested.equals(p.tenantId())) {
      throw Rejection.unknownReference("tenant", "tenant", requested);
    }
    return p.tenantId();
  }

  /** Fields only the operator sets (they reveal or touch shared resources). */
  static void adminOnlyField(String field, Object requested, Object current) {
    if (requested != null && !Objects.equals(requested, current)) {
      throw new Rejection(Rejection.Reason.FORBIDDEN, "forbidden", field,
          field + " is set by the operator (or the host's credential); leave it out");
    }
  }
}
