package dev.ferry.controller.rest;

/**
 * Who is calling: the admin (both null), one tenant (tenantId), or one host's credential
 * (hostName), which may read networks and ports and bind ports to its own host only.
 */
public record Principal(String tenantId, String hostName) {

  public static final Principal ADMIN = new Principal(null, null);

  public static Principal tenant(String tenantId) {
    return new Principal(tenantId, null);
  }

  public static Principal host(String hostName) {
    return new Principal(null, hostName);
  }

  public boolean isAdmin() {
    return tenantId == null && hostName == null;
  }

  public boolean isHost() {
    return hostName != null;
  }

  /** Whether this caller may see objects of the given tenant (a host sees them all, to bind them). */
  public boolean sees(String ownerTenantId) {
    return tenantId == null || tenantId.equals(ownerTenantId);
  }
}
