package dev.ferry.apps.model;

/**
 * A tenant's set of rules that ports opt into (Neutron's security group). Every tenant has one
 * named {@link #DEFAULT}, created with it: egress open, ingress only from its own members.
 */
public record SecurityGroup(String id, String tenantId, String name, String description, long revision) {
  public static final String DEFAULT = "default";

  /** The id of a tenant's default group: fixed, so ports and old databases can name it. */
  public static String defaultId(String tenantId) {
    return "default-" + tenantId;
  }
}
