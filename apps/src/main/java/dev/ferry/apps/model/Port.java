package dev.ferry.apps.model;

/**
 * A container's (or VM's) attachment to a network.
 *
 * @param mac "aa:bb:cc:dd:ee:ff", lower case
 * @param ip dotted quad inside the network's cidr
 * @param host name of the {@link Host} the port lives on (null: not placed yet)
 * @param interfaceName the OVS port name on that host's br-int (e.g. "veth1658-a")
 * @param securityGroups ids of the port's security groups; null (absent, as in rows written
 *     before groups existed) means the tenant's default group; ignored without port security
 */
public record Port(
    String id,
    String networkId,
    String name,
    String mac,
    String ip,
    String host,
    String interfaceName,
    boolean portSecurity,
    java.util.List<String> securityGroups,
    long revision) {

  public Port {
    securityGroups = securityGroups == null ? null : java.util.List.copyOf(securityGroups);
  }

  /** Without security groups (the tenant's default applies). */
  public Port(String id, String networkId, String name, String mac, String ip, String host,
      String interfaceName, boolean portSecurity, long revision) {
    this(id, networkId, name, mac, ip, host, interfaceName, portSecurity, null, revision);
  }

  /** The groups that apply: the listed ones, or the tenant's default when none are listed. */
  public java.util.List<String> groupsOr(String tenantId) {
    return securityGroups == null ? java.util.List.of(SecurityGroup.defaultId(tenantId)) : securityGroups;
  }
}
