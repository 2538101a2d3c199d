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

  /**
   * Ids are one namespace across tenants: a tenant choosing one could learn from 409 id_taken
   * that another tenant's object has it. Only the admin chooses ids; tenants get UUIDs.
   */
  static void generatedIdUnlessAdmin(Principal p, String requested) {
    if (!p.isAdmin() && requested != null) {
      throw new Rejection(Rejection.Reason.FORBIDDEN, "forbidden", "id",
          "ids are generated for tenant (and host) callers; leave id out");
    }
  }

  /** Fields only the operator sets (they reveal or touch shared resources). */
  static void adminOnlyField(String field, Object requested, Object current) {
    if (requested != null && !Objects.equals(requested, current)) {
      throw new Rejection(Rejection.Reason.FORBIDDEN, "forbidden", field,
          field + " is set by the operator (or the host's credential); leave it out");
    }
  }
}
