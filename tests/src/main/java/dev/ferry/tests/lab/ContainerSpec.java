package dev.ferry.tests.lab;

import java.util.Optional;

/**
 * One container: a namespace whose eth0 has this MAC and address. Its outside veth end is added
 * to br-int as OVS interface {@code "t" + name} (see {@link LabContainer#ovsPort()}).
 *
 * @param ipCidr  e.g. "10.0.0.5/24"; null for a container that asks DHCP for its address
 * @param mtu     1450 by default: VXLAN needs 50 bytes of a 1500-byte underlay
 * @param gateway default route via this address, if present
 */
public record ContainerSpec(String name, String mac, String ipCidr, int mtu, Optional<String> gateway) {
    public static final int DEFAULT_MTU = 1450;

    public ContainerSpec {
        if (!name.matches("[a-z][a-z0-9]{0,13}")) {
            throw new IllegalArgumentException("container name must be 1-14 lowercase letters/digits: " + name);
        }
        if (ipCidr != null && !ipCidr.contains("/")) {
            throw new IllegalArgumentException("ipCidr needs a prefix length: " + ipCidr);
        }
    }

    public static ContainerSpec of(String name, String mac, String ipCidr) {
        return new ContainerSpec(name, mac, ipCidr, DEFAULT_MTU, Optional.empty());
    }

    /** A container whose eth0 starts without an address (see {@link LabContainer#dhcp}). */
    public static ContainerSpec unaddressed(String name, String mac) {
        return new ContainerSpec(name, mac, null, DEFAULT_MTU, Optional.empty());
    }

    public ContainerSpec withMtu(int value) {
        return new ContainerSpec(name, mac, ipCidr, value, gateway);
    }

    public ContainerSpec withGateway(String ip) {
        return new ContainerSpec(name, mac, ipCidr, mtu, Optional.of(ip));
    }

    public String ip() {
        return ipCidr == null ? null : ipCidr.substring(0, ipCidr.indexOf('/'));
    }
}
