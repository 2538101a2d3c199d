package dev.ferry.tests.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One simulated hypervisor: a namespace {@code <prefix>-<name>} running its own ovsdb-server and
 * ovs-vswitchd (userspace datapath), with
 * <ul>
 *   <li>{@code br-phy} holding the underlay veth {@code phy0}; the tunnel IP sits on br-phy,</li>
 *   <li>{@code br-int} (netdev, fail_mode=secure, OpenFlow13 by default, explicit datapath id),</li>
 *   <li>{@code vxlan0} on br-int, flow-based: options:key=flow options:remote_ip=flow,</li>
 *   <li>{@code mgmt0}, a point-to-point link to the controller address in the root namespace.</li>
 * </ul>
 */
public final class LabHost {
    public static final String INTEGRATION_BRIDGE = "br-int";
    public static final String TUNNEL_PORT = "vxlan0";
    private static final String UNDERLAY_PORT = "phy0";
    private static final Duration VSWITCHD_READY = Duration.ofSeconds(20);

    private final Lab lab;
    private final HostSpec spec;
    private final int index;
    private final String namespace;
    private final Path dir;
    private final Map<String, LabContainer> containers = Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile long vswitchdPid;

    private LabHost(Lab lab, HostSpec spec, int index) {
        this.lab = lab;
        this.spec = spec;
        this.index = index;
        this.namespace = lab.prefix() + "-" + spec.name();
        this.dir = lab.stateDir().resolve("hosts").resolve(spec.name());
    }

    static LabHost create(Lab lab, HostSpec spec, int index) {
        if (index > 250) {
            throw new LabException("a lab holds at most 250 hosts");
        }
        LabHost host = new LabHost(lab, spec, index);
        host.createNamespaceAndLinks();
        host.startOvsdb();
        host.configure();
        host.startVswitchd();
        host.awaitVswitchd();
        host.addressUnderlay();
        return host;
    }

    private void createNamespaceAndLinks() {
        lab.createNamespace(namespace);
        String underlayEnd = "u" + index;
        Shell.check("ip", "link", "add", UNDERLAY_PORT, "netns", namespace, "type", "veth",
                "peer", "name", underlayEnd, "netns", lab.underlayNamespace());
        Shell.check("ip", "-n", lab.underlayNamespace(), "link", "set", underlayEnd, "master", lab.underlayBridge(), "up");
        // phy0 is an OVS port, but the namespace's kernel still sees its frames: without "arp off" it
        // answers ARP for the tunnel IP with phy0's MAC, racing br-phy's answer.
        Shell.check("ip", "-n", namespace, "link", "set", UNDERLAY_PORT, "arp", "off", "up");
        wireManagement();
    }

    // Point-to-point /32s: every host reaches the same controller address, each over its own veth.
    private void wireManagement() {
        String rootEnd = rootLink();
        lab.recordRootLink(rootEnd);
        Shell.check("ip", "link", "add", rootEnd, "type", "veth", "peer", "name", "mgmt0", "netns", namespace);
        Lab.disableIpv6(rootEnd);
        Shell.check("ip", "addr", "add", lab.controllerIp() + "/32", "peer", managementIp() + "/32", "dev", rootEnd);
        Shell.check("ip", "link", "set", rootEnd, "up");
        Shell.check("ip", "-n", namespace, "addr", "add", managementIp() + "/32", "peer", lab.controllerIp() + "/32", "dev", "mgmt0");
        Shell.check("ip", "-n", namespace, "link", "set", "mgmt0", "up");
    }

    private void startOvsdb() {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LabException("cannot create " + dir, e);
        }
        Shell.check("ovsdb-tool", "create", dir.resolve("conf.db").toString(), Lab.OVS_SCHEMA);
        inNamespace(List.of("ovsdb-server", dir.resolve("conf.db").toString(),
                "--remote=punix:" + dir.resolve("db.sock"), "--pidfile=" + dir.resolve("ovsdb.pid"),
                "--detach", "-vconsole:warn", "--log-file=" + dir.resolve("ovsdb.log"),
                "--unixctl=" + dir.resolve("ovsdb.ctl")));
        Pids.readPidFile(dir.resolve("ovsdb.pid")).ifPresent(lab::recordPid);
    }

    /** Writes the whole bridge setup before vswitchd starts, so it comes up configured in one pass. */
    private void configure() {
        List<String> args = new ArrayList<>(List.of("--no-wait", "--", "init",
                "--", "add-br", "br-phy", "--", "set", "bridge", "br-phy", "datapath_type=netdev",
                "--", "add-port", "br-phy", UNDERLAY_PORT));
        if (spec.bare()) {
            vsctl(args.toArray(String[]::new));
            return;
        }
        args.addAll(List.of("--", "add-br", INTEGRATION_BRIDGE, "--", "set", "bridge", INTEGRATION_BRIDGE, "datapath_type=netdev",
                "fail_mode=secure", "protocols=" + spec.protocols(), "other-config:datapath-id=" + datapathIdHex(),
                "--", "add-port", INTEGRATION_BRIDGE, TUNNEL_PORT, "--", "set", "interface", TUNNEL_PORT, "type=vxlan",
                "options:key=flow", "options:remote_ip=flow"));
        args.addAll(controllerArgs(controllerTarget()));
        vsctl(args.toArray(String[]::new));
    }

    // Out-of-band: the controller is reached over mgmt0, never through br-int's own flows.
    private static List<String> controllerArgs(String target) {
        if (target.isEmpty()) {
            return List.of("--", "del-controller", INTEGRATION_BRIDGE);
        }
        return List.of("--", "--id=@c", "create", "controller", "target=\"" + target + "\"",
                "connection_mode=out-of-band", "max_backoff=1000",
                "--", "set", "bridge", INTEGRATION_BRIDGE, "controller=@c");
    }

    private void startVswitchd() {
        inNamespace(List.of("ovs-vswitchd", "unix:" + dir.resolve("db.sock"),
                "--pidfile=" + dir.resolve("vswitchd.pid"), "--detach", "-vconsole:warn",
                "--log-file=" + dir.resolve("vswitchd.log"), "--unixctl=" + dir.resolve("vswitchd.ctl")));
        vswitchdPid = Pids.readPidFile(dir.resolve("vswitchd.pid"))
                .orElseThrow(() -> new LabException("ovs-vswitchd wrote no pidfile in " + dir));
        lab.recordPid(vswitchdPid);
    }

    // A waiting (non --no-wait) transaction returns once vswitchd has applied the configuration.
    private void awaitVswitchd() {
        vsctl("--timeout=" + VSWITCHD_READY.toSeconds(), "set", "Open_vSwitch", ".", "external-ids:ferry-lab=" + lab.prefix());
        waitForLink("br-phy");
    }

    private void waitForLink(String link) {
        long deadline = System.currentTimeMillis() + VSWITCHD_READY.toMillis();
        while (!exec("ip", "link", "show", link).ok()) {
            if (System.currentTimeMillis() > deadline) {
                throw new LabException(link + " did not appear in " + namespace);
            }
            Shell.pause(20);
        }
    }

    // The tap device br-phy is created by vswitchd, so its address is lost whenever vswitchd restarts.
    private void addressUnderlay() {
        Shell.check("ip", "-n", namespace, "addr", "replace", tunnelIp() + "/24", "dev", "br-phy");
        Shell.check("ip", "-n", namespace, "link", "set", "br-phy", "up");
    }

    private void inNamespace(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(command);
        Shell.run(Map.of("OVS_RUNDIR", dir.toString()), Shell.DEFAULT_TIMEOUT, full).check();
    }

    /** Runs ovs-vsctl against this host's database; returns trimmed stdout. */
    public String vsctl(String... args) {
        List<String> command = new ArrayList<>(List.of("ovs-vsctl", "--db=unix:" + dir.resolve("db.sock")));
        if (Stream.of(args).noneMatch(a -> a.startsWith("--timeout"))) {
            command.add("--timeout=" + VSWITCHD_READY.toSeconds());
        }
        command.addAll(List.of(args));
        return Shell.check(command).strip();
    }

    /**
     * Runs {@code ovs-ofctl -O OpenFlow13 <command> unix:<rundir>/br-int.mgmt <args...>},
     * e.g. {@code ofctl("dump-flows")} or {@code ofctl("add-flow", "in_port=1,actions=drop")}.
     */
    public String ofctl(String command, String... args) {
        List<String> full = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow13", command, brIntTarget()));
        full.addAll(List.of(args));
        return Shell.check(full);
    }

    /** Runs {@code ovs-appctl} against this host's vswitchd, e.g. {@code appctl("ofproto/trace", "br-int", flow)}. */
    public String appctl(String... args) {
        List<String> full = new ArrayList<>(List.of("ovs-appctl", "-t", dir.resolve("vswitchd.ctl").toString()));
        full.addAll(List.of(args));
        return Shell.check(full);
    }

    /** br-int's flows as ovs-ofctl prints them, one per line, without the reply header. */
    public List<String> dumpFlows() {
        return ofctl("dump-flows").lines().filter(l -> l.startsWith(" ")).map(String::strip).toList();
    }

    public void addFlow(String flow) {
        ofctl("add-flow", flow);
    }

    /** The OpenFlow management socket of br-int, for ovs-ofctl or any local OpenFlow client. */
    public String brIntTarget() {
        return "unix:" + dir.resolve(INTEGRATION_BRIDGE + ".mgmt");
    }

    public int ofport(String interfaceName) {
        return Integer.parseInt(vsctl("get", "Interface", interfaceName, "ofport"));
    }

    public int tunnelOfport() {
        return ofport(TUNNEL_PORT);
    }

    /** Points br-int at a controller target, e.g. "tcp:10.64.1.1:6653"; "" removes the controller. */
    public void setController(String target) {
        List<String> args = new ArrayList<>(List.of("--", "del-controller", INTEGRATION_BRIDGE));
        if (!target.isEmpty()) {
            args.addAll(controllerArgs(target));
        }
        vsctl(args.toArray(String[]::new));
    }

    /** Points br-int at several controllers at once (a Ferry cluster), each out-of-band. */
    public void setControllers(List<String> targets) {
        List<String> args = new ArrayList<>(List.of("--", "del-controller", INTEGRATION_BRIDGE));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            args.addAll(List.of("--", "--id=@c" + i, "create", "controller", "target=\"" + targets.get(i) + "\"",
                    "connection_mode=out-of-band", "max_backoff=1000"));
            ids.add("@c" + i);
        }
        args.addAll(List.of("--", "set", "bridge", INTEGRATION_BRIDGE, "controller=[" + String.join(",", ids) + "]"));
        vsctl(args.toArray(String[]::new));
    }

    /**
     * Whether br-int's controller connection is up, as OVS's Controller.is_connected says (true after
     * the HELLO exchange). OVS refreshes that column only every ~5 s, so it lags the real connection;
     * a test that owns the controller should ask the controller instead.
     */
    public boolean controllerConnected() {
        return "true".equals(vsctl("--if-exists", "get", "Controller", INTEGRATION_BRIDGE, "is_connected"));
    }

    /** Polls until {@link #controllerConnected()} equals {@code connected}; false if it did not in time. */
    public boolean awaitControllerConnected(boolean connected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (controllerConnected() != connected) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Shell.pause(50);
        }
        return true;
    }

    /** SIGKILLs ovs-vswitchd (a crash): br-int and br-phy vanish, the database stays. */
    public void killVswitchd() {
        Pids.killAll(List.of(vswitchdPid), Duration.ofSeconds(5));
    }

    /** Starts ovs-vswitchd again from the same database; OpenFlow flows are gone until re-installed. */
    public void restartVswitchd() {
        if (Pids.alive(vswitchdPid)) {
            killVswitchd();
        }
        startVswitchd();
        awaitVswitchd();
        addressUnderlay();
    }

    /** PIDs of this host's ovsdb-server and ovs-vswitchd (as their pidfiles say). */
    public List<Long> daemonPids() {
        return Stream.of("ovsdb.pid", "vswitchd.pid").map(f -> Pids.readPidFile(dir.resolve(f)))
                .filter(p -> p.isPresent()).map(p -> p.getAsLong()).toList();
    }

    public boolean vswitchdAlive() {
        return Pids.alive(vswitchdPid);
    }

    /** Runs a command inside this host's namespace (no exit-code check). */
    public Shell.Result exec(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return Shell.run(full);
    }

    /** Adds a container whose eth0 is plugged into br-int as {@code "t" + name}. */
    public LabContainer addContainer(ContainerSpec containerSpec) {
        lab.claimName(containerSpec.name());
        LabContainer container = LabContainer.create(lab, this, containerSpec);
        containers.put(container.name(), container);
        return container;
    }

    public LabContainer addContainer(String name, String mac, String ipCidr) {
        return addContainer(ContainerSpec.of(name, mac, ipCidr));
    }

    public LabContainer container(String name) {
        LabContainer c = containers.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no container " + name + " on host " + name());
        }
        return c;
    }

    public List<LabContainer> containers() {
        synchronized (containers) {
            return List.copyOf(containers.values());
        }
    }

    void forgetContainer(LabContainer container) {
        containers.remove(container.name());
        lab.releaseName(container.name());
    }

    /** Starts a tracked background process in the host namespace. */
    public LabProcess spawn(String... command) {
        return lab.spawn(namespace, spec.name(), List.of(command));
    }

    public String name() {
        return spec.name();
    }

    public String namespace() {
        return namespace;
    }

    public int index() {
        return index;
    }

    public long datapathId() {
        return spec.datapathId() != null ? spec.datapathId() : index;
    }

    public String datapathIdHex() {
        return HexFormat.of().toHexDigits(datapathId());
    }

    /** Underlay (VXLAN endpoint) address on br-phy: 192.168.5.(index+1), /24. */
    public String tunnelIp() {
        return "192.168.5." + (index + 1);
    }

    /** This host's end of its management link (the source address OVS uses towards the controller). */
    public String managementIp() {
        return lab.managementNet() + (index + 1);
    }

    /** Name of the management veth end in the root namespace. */
    public String rootLink() {
        return lab.prefix() + "m" + index;
    }

    public String controllerTarget() {
        return spec.controller() != null ? spec.controller() : lab.controllerTarget();
    }

    public String protocols() {
        return spec.protocols();
    }

    /** OVS run directory: db.sock, br-int.mgmt, logs and pidfiles. */
    public Path runDir() {
        return dir;
    }

    Lab lab() {
        return lab;
    }
}
