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
 * @param allowedAddressPairs extra IP/MAC pairs the port may send from and receive on; never
 *     null (absent, as in rows written before pairs existed, reads as none)
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
    java.util.List<AddressPair> allowedAddressPairs,
    long revision) {

  public Port {
    securityGroups = securityGroups == null ? null : java.util.List.copyOf(securityGroups);
    allowedAddressPairs = allowedAddressPairs == null ? java.util.List.of() : java.util.List.copyOf(allowedAddressPairs);
  }

  /** Without address pairs. */
  public Port(String id, String networkId, String name, String mac, String ip, String host,
      String interfaceName, boolean portSecurity, java.util.List<String> securityGroups, long revision) {
    this(id, networkId, name, mac, ip, host, interfaceName, portSecurity, securityGroups, null, revision);
  }

  /** Without security groups (the tenant's default applies). */
  public Port(String id, String networkId, String name, String mac, String ip, String host,
      String interfaceName, boolean portSecurity, long revision) {
    this(id, networkId, name, mac, ip, host, interfaceName, portSecurity, null, null, revision);
  }

  /** The groups that apply: the listed ones, or the tenant's default when none are listed. */
  public java.util.List<String> groupsOr(String tenantId) {
    return securityGroups == null ? java.util.List.of(SecurityGroup.defaultId(tenantId)) : securityGroups;
  }

  /**
   * Every IPv4 address or prefix the port may use: its own address (if any), then its pairs'
   * (as written: "a.b.c.d" or "a.b.c.d/n"). What a remote security group's members are.
   */
  public java.util.List<String> addresses() {
    java.util.List<String> out = new java.util.ArrayList<>();
    if (ip != null) {
      out.add(ip);
    }
    allowedAddressPairs.forEach(p -> out.add(p.ipAddress()));
    return out;
  }

  /** The port's MAC and its pairs' other MACs, distinct, in order: what it may send from. */
  public java.util.List<String> macs() {
    java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
    if (mac != null) {
      out.add(mac);
      allowedAddressPairs.forEach(p -> out.add(p.macOr(mac)));
    }
    return java.util.List.copyOf(out);
  }
}
