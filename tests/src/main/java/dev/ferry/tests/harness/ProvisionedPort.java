package dev.ferry.tests.harness;

/**
 * A port the controller knows about: its network, MAC, IPv4 address and where it is plugged
 * in (datapath id, OpenFlow port number). MAC and IP are raw numbers for the hot path.
 */
public record ProvisionedPort(String network, long mac, int ip, long dpid, int ofPort) {}
