package dev.ferry.tests.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The "internet" of a lab: namespace {@code <prefix>-<name>} holding a Linux bridge with one
 * address (the outside host and next hop in one). Hosts reach it only through their uplinks:
 * {@link #connect} plugs a veth between the bridge and the host's br-int. Removed with the lab.
 */
public final class LabOutside {
    private static final String BRIDGE = "br0";
    private static final Pattern PING_RECEIVED = Pattern.compile("(\\d+) (?:packets )?received");

    private final Lab lab;
    private final String name;
    private final String namespace;
    private final String ipCidr;

    private LabOutside(Lab lab, String name, String ipCidr) {
        this.lab = lab;
        this.name = name;
        this.namespace = lab.prefix() + "-" + name;
        this.ipCidr = ipCidr;
    }

    /** Creates the namespace, its bridge and address, e.g. {@code create(lab, "inet", "203.0.113.1/24")}. */
    public static LabOutside create(Lab lab, String name, String ipCidr) {
        lab.claimName(name);
        LabOutside o = new LabOutside(lab, name, ipCidr);
        lab.createNamespace(o.namespace);
        Shell.check("ip", "-n", o.namespace, "link", "add", BRIDGE, "type", "bridge");
        Shell.check("ip", "-n", o.namespace, "addr", "add", ipCidr, "dev", BRIDGE);
        Shell.check("ip", "-n", o.namespace, "link", "set", BRIDGE, "up");
        return o;
    }

    /**
     * Plugs host's uplink: OVS port {@code ovsPort} on its br-int, the other end on the bridge
     * here. TX checksum offload off on both ends (the userspace datapath does not fill them).
     */
    public void connect(LabHost host, String ovsPort) {
        String outsideEnd = "o" + host.index() + ovsPort;
        Shell.check("ip", "link", "add", ovsPort, "netns", host.namespace(), "type", "veth",
                "peer", "name", outsideEnd, "netns", namespace);
        Shell.check("ip", "-n", namespace, "link", "set", outsideEnd, "master", BRIDGE, "up");
        Shell.check("ip", "-n", host.namespace(), "link", "set", ovsPort, "up");
        exec("ethtool", "-K", outsideEnd, "tx", "off").check();
        exec("ethtool", "-K", BRIDGE, "tx", "off");
        host.exec("ethtool", "-K", ovsPort, "tx", "off").check();
        host.vsctl("add-port", LabHost.INTEGRATION_BRIDGE, ovsPort);
    }

    public int ping(String ip, int count, int timeoutSeconds) {
        Shell.Result r = exec("ping", "-n", "-q", "-c", Integer.toString(count), "-i", "0.2",
                "-W", "1", "-w", Integer.toString(timeoutSeconds), ip);
        Matcher m = PING_RECEIVED.matcher(r.out());
        return m.find() ? Math.min(count, Integer.parseInt(m.group(1))) : 0;
    }

    public Shell.Result exec(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return Shell.run(full);
    }

    public LabProcess spawn(String... command) {
        return lab.spawn(namespace, name, List.of(command));
    }

    /** tcpdump on the bridge: everything the outside host sends and receives. */
    public PacketCapture startCapture(String filter) {
        return lab.startCapture(namespace, BRIDGE, filter);
    }

    public String ip() {
        return ipCidr.substring(0, ipCidr.indexOf('/'));
    }

    public String namespace() {
        return namespace;
    }
}
