package dev.ferry.controller.store;

/**
 * What a host's uplink next hop answered ARP with: not part of the model (no one configures
 * it, no event is published), but kept so that a restarted controller compiles north-south
 * flows at once instead of removing them until the next hop answers again.
 *
 * @param host the host name
 * @param nextHop the next hop's IPv4 address the MAC belongs to (stale once the host's uplink
 *     names another)
 * @param mac the MAC it answered with
 */
public record UplinkNextHop(String host, String nextHop, String mac) {}
