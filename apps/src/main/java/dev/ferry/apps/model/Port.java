package dev.ferry.apps.model;

/**
 * A container's (or VM's) attachment to a network.
 *
 * @param mac "aa:bb:cc:dd:ee:ff", lower case
 * @param ip dotted quad inside the network's cidr
 * @param host name of the {@link Host} the port lives on (null: not placed yet)
 * @param interfaceName the OVS port name on that host's br-int (e.g. "veth1658-a")
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
    long revision) {}
