package dev.ferry.tests.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container: namespace {@code <prefix>-<name>} with one veth; the inside end is {@code eth0}
 * (MAC, address, MTU 1450, IPv6 off, TX checksum offload off), the outside end is the OVS interface
 * {@link #ovsPort()} on its host's br-int.
 */
public final class LabContainer {
    public static final String DEVICE = "eth0";
    private static final Pattern PING_RECEIVED = Pattern.compile("(\\d+) (?:packets )?received");
    private static final Pattern ARPING_RECEIVED = Pattern.compile("(\\d+) packets received");

    private final Lab lab;
    private final LabHost host;
    private final String name;
    private final String namespace;
    private volatile String mac;
    private volatile String ipCidr;

    private LabContainer(Lab lab, LabHost host, ContainerSpec spec) {
        this.lab = lab;
        this.host = host;
        this.name = spec.name();
        this.namespace = lab.prefix() + "-" + spec.name();
        this.mac = spec.mac();
        this.ipCidr = spec.ipCidr();
    }

    static LabContainer create(Lab lab, LabHost host, ContainerSpec spec) {
        LabContainer c = new LabContainer(lab, host, spec);
        c.plug(spec);
        return c;
    }

    private void plug(ContainerSpec spec) {
        lab.createNamespace(namespace);
        Shell.check("ip", "link", "add", DEVICE, "netns", namespace, "type", "veth",
                "peer", "name", ovsPort(), "netns", host.namespace());
        Shell.check("ip", "-n", namespace, "link", "set", DEVICE, "address", spec.mac(), "mtu", Integer.toString(spec.mtu()));
        if (spec.ipCidr() != null) {
            Shell.check("ip", "-n", namespace, "addr", "add", spec.ipCidr(), "dev", DEVICE);
        }
        Shell.check("ip", "-n", namespace, "link", "set", DEVICE, "up");
        Shell.check("ip", "-n", host.namespace(), "link", "set", ovsPort(), "up");
        // The userspace datapath forwards unfilled TCP checksums: offload off on both veth ends.
        exec("ethtool", "-K", DEVICE, "tx", "off").check();
        host.exec("ethtool", "-K", ovsPort(), "tx", "off").check();
        spec.gateway().ifPresent(gw -> Shell.check("ip", "-n", namespace, "route", "add", "default", "via", gw));
        host.vsctl("add-port", LabHost.INTEGRATION_BRIDGE, ovsPort());
    }

    /**
     * Pings {@code ip} until {@code count} replies or {@code timeoutSeconds}; returns the replies, at most
     * {@code count} (while ARP is pending ping sends more, and their late replies would overcount).
     */
    public int ping(String ip, int count, int timeoutSeconds) {
        Shell.Result r = exec("ping", "-n", "-q", "-c", Integer.toString(count), "-i", "0.2",
                "-W", "1", "-w", Integer.toString(timeoutSeconds), ip);
        Matcher m = PING_RECEIVED.matcher(r.out());
        return m.find() ? Math.min(count, Integer.parseInt(m.group(1))) : 0;
    }

    /** Pings until the first reply or the timeout; true if a reply came (for "path is up" waits). */
    public boolean pingOnce(String ip, int timeoutSeconds) {
        return exec("ping", "-n", "-q", "-c", "1", "-w", Integer.toString(timeoutSeconds), ip).ok();
    }

    /**
     * ARP-pings {@code ip} from eth0, 5 requests a second, until {@code count} replies or
     * {@code count + 2} seconds; returns the replies (at most count). Keeps sending because the first
     * packet towards a new tunnel destination is dropped while OVS resolves the remote tunnel IP.
     */
    public int arping(String ip, int count) {
        Shell.Result r = exec("arping", "-i", DEVICE, "-C", Integer.toString(count), "-W", "0.2",
                "-w", Integer.toString(count + 2), ip);
        Matcher m = ARPING_RECEIVED.matcher(r.out());
        return m.find() ? Math.min(count, Integer.parseInt(m.group(1))) : 0;
    }

    /** Runs a command in the container namespace (no exit-code check). */
    public Shell.Result exec(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return Shell.run(full);
    }

    /** Starts a tracked background process here, e.g. {@code spawn("ping", "-i", "0.1", ip)}. */
    public LabProcess spawn(String... command) {
        return lab.spawn(namespace, name, List.of(command));
    }

    /**
     * Starts a TCP server here ({@code nc -lk port}: what clients send is its output) and returns
     * once its socket listens, so a client started next is not refused by a server still starting.
     */
    public LabProcess listen(int port) {
        LabProcess server = spawn("nc", "-lk", Integer.toString(port));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!exec("sh", "-c", "ss -ltn | grep -q ':" + port + " '").ok()) {
            if (!server.alive() || System.nanoTime() > deadline) {
                server.stop();
                throw new LabException("no listener on port " + port + " in " + name + ": " + server.errorLines());
            }
            Shell.pause(20);
        }
        return server;
    }

    /** Starts tcpdump on this container's eth0 (what the container receives and sends). */
    public PacketCapture startCapture(String filter) {
        return lab.startCapture(namespace, DEVICE, filter);
    }

    /**
     * Runs a real DHCP client (busybox udhcpc, one-shot, {@code tries} discovers a second apart) on
     * eth0 with a script that applies address, router and MTU, and records every option udhcpc
     * exported. Empty when no lease came; else what the server handed out.
     */
    public java.util.Optional<DhcpLease> dhcp(int tries) {
        java.nio.file.Path dir = lab.stateDir().resolve("dhcp-" + name);
        java.nio.file.Path script = DhcpLease.writeScript(dir);
        Shell.Result r = exec("busybox", "udhcpc", "-i", DEVICE, "-q", "-n", "-f", "-t",
                Integer.toString(tries), "-T", "1", "-A", "1", "-O", "mtu", "-s", script.toString());
        if (!r.ok()) {
            return java.util.Optional.empty();
        }
        DhcpLease lease = DhcpLease.read(dir);
        ipCidr = lease.ip() + "/" + lease.prefixLength();
        return java.util.Optional.of(lease);
    }

    /** eth0's MTU as the kernel has it now. */
    public int mtu() {
        String out = exec("cat", "/sys/class/net/" + DEVICE + "/mtu").out().strip();
        return Integer.parseInt(out);
    }

    /** The default route's gateway, or empty when there is none. */
    public java.util.Optional<String> defaultGateway() {
        Matcher m = Pattern.compile("default via (\\S+)").matcher(exec("ip", "-4", "route").out());
        return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    /** Changes eth0's MAC (spoofing tests). */
    public void setMac(String newMac) {
        Shell.check("ip", "-n", namespace, "link", "set", DEVICE, "address", newMac);
        mac = newMac;
    }

    /** Replaces eth0's address (spoofing tests); {@code newIpCidr} like "10.0.0.9/24". */
    public void setIp(String newIpCidr) {
        Shell.check("ip", "-n", namespace, "addr", "flush", "dev", DEVICE);
        Shell.check("ip", "-n", namespace, "addr", "add", newIpCidr, "dev", DEVICE);
        ipCidr = newIpCidr;
    }

    /** Unplugs from br-int, kills this container's processes and deletes its namespace. */
    public void remove() {
        host.vsctl("--if-exists", "del-port", LabHost.INTEGRATION_BRIDGE, ovsPort());
        Pids.killAll(LabTeardown.pidsIn(namespace), java.time.Duration.ofSeconds(5));
        Shell.check("ip", "netns", "del", namespace);
        lab.forgetNamespace(namespace);
        host.forgetContainer(this);
    }

    public String name() {
        return name;
    }

    public String namespace() {
        return namespace;
    }

    /** The OVS interface name of this container's port on br-int. */
    public String ovsPort() {
        return "t" + name;
    }

    /** Its OpenFlow port number on the host's br-int. */
    public int ofport() {
        return host.ofport(ovsPort());
    }

    public LabHost host() {
        return host;
    }

    public String mac() {
        return mac;
    }

    public String ip() {
        return ipCidr == null ? null : ipCidr.substring(0, ipCidr.indexOf('/'));
    }

    public String ipCidr() {
        return ipCidr;
    }
}
