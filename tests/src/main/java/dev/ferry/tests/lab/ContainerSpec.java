package dev.ferry.tests.lab;

import java.util.Optional;

/**
 * One container: a namespace whose eth0 has this MAC and address. Its outside veth end is added
 * to br-int as OVS interface {@code "t" + name} (see {@link LabContainer#ovsPort()}).
 *
 * @param ipCidr  e.g. "10.0.0.5/24"
 * @param mtu     1450 by default: VXLAN needs 50 bytes of a 1500-byte underlay
 * @param gateway default route via this address, if present
 */
public record ContainerSpec(String name, String mac, String ipCidr, int mtu, Optional<String> gateway) {
    public static final int DEFAULT_MTU = 1450;

    public ContainerSpec {
        if (!name.matches("[a-z][a-z0-9]{0,13}")) {
            throw new IllegalArgumentException("container name must be 1-14 lowercase letters/digits: " + name);
        }
        if (!ipCidr.contains("/")) {
            throw new IllegalArgumentException("ipCidr needs a prefix length: " + ipCidr);
        }
    }

    public static ContainerSpec of(String name, String mac, String ipCidr) {
        return new ContainerSpec(name, mac, ipCidr, DEFAULT_MTU, Optional.empty());
    }

    public ContainerSpec withMtu(int value) {
        return new ContainerSpec(name, mac, ipCidr, value, gateway);
    }

    public ContainerSpec withGateway(String ip) {
        return new ContainerSpec(name, mac, ipCidr, mtu, Optional.of(ip));
    }

    public String ip() {
        return ipCidr.substring(0, ipCidr.indexOf('/'));
    }
}
