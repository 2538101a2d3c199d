package dev.ferry.controller.rest;

/**
 * Who is calling: the admin (tenantId null) or one tenant.
 */
public record Principal(String tenantId) {

  public static final Principal ADMIN = new Principal(null);

  public boolean isAdmin() {
    return tenantId == null;
  }

  /** Whether this caller may see objects of the given tenant. */
  public boolean sees(String ownerTenantId) {
    return isAdmin() || tenantId.equals(ownerTenantId);
  }
}
