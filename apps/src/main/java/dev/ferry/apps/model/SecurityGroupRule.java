package dev.ferry.apps.model;

/**
 * One allow rule of a {@link SecurityGroup} (everything not allowed is dropped). Rules are
 * immutable, as in Neutron: change one by deleting it and creating another.
 *
 * @param direction "ingress" (to the group's ports) or "egress" (from them)
 * @param protocol null (any), or an IP protocol number (tcp 6, udp 17, icmp 1, ...)
 * @param portRangeMin tcp/udp destination ports, inclusive; null for all
 * @param icmpType icmp only; null for any (icmpCode then null too)
 * @param remoteIpPrefix the other end's addresses (CIDR); null with remoteGroupId for any
 * @param remoteGroupId the other end is a port of this group (same tenant)
 */
public record SecurityGroupRule(
    String id,
    String securityGroupId,
    String direction,
    Integer protocol,
    Integer portRangeMin,
    Integer portRangeMax,
    Integer icmpType,
    Integer icmpCode,
    String remoteIpPrefix,
    String remoteGroupId,
    long revision) {
  public static final String INGRESS = "ingress";
  public static final String EGRESS = "egress";
  public static final int TCP = 6;
  public static final int UDP = 17;
  public static final int ICMP = 1;

  public boolean ingress() {
    return INGRESS.equals(direction);
  }
}
