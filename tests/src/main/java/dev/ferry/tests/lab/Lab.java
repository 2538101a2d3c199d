package dev.ferry.tests.lab;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throw-away network of simulated OVS hosts in network namespaces, for end-to-end tests and demos.
 *
 * <p>Every name the lab creates starts with its per-run prefix ("fy" + 4 base36 chars): namespaces
 * are {@code <prefix>-<name>}, root-namespace links {@code <prefix>m<k>}. Its state (OVS databases,
 * sockets, logs, pidfiles) lives in {@code /tmp/ferry-lab/<prefix>} next to an owner file naming this
 * JVM. {@link #close()} and a shutdown hook tear it all down; {@link #start()} first removes the
 * leftovers of labs whose JVM died.
 *
 * <p>Hosts share one L2 underlay (a Linux bridge in namespace {@code <prefix>-underlay}) and each has
 * a point-to-point management link to the root namespace, where the controller runs: listen on
 * {@link #controllerListenAddress()}; hosts are pointed at {@link #controllerTarget()} by default.
 */
public final class Lab implements AutoCloseable {
    public static final Path ROOT = Path.of("/tmp/ferry-lab");
    public static final String MARKER = "fy";
    public static final int CONTROLLER_PORT = 6653;
    static final String PREFIX_PATTERN = MARKER + "[0-9a-z]{4}";
    private static final String UNDERLAY_BRIDGE = "br0";
    private static final List<String> REQUIRED_COMMANDS = List.of(
            "ip", "ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ovs-ofctl", "tcpdump", "ethtool");
    static final String OVS_SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema";
    /** A persistent lab's description, in its state directory. */
    public static final String STATE_FILE = "lab.env";

    private final String prefix;
    private final Path stateDir;
    private final String managementNet;
    private final Set<String> namespaces = ConcurrentHashMap.newKeySet();
    private final Set<String> rootLinks = ConcurrentHashMap.newKeySet();
    private final Set<Long> pids = ConcurrentHashMap.newKeySet();
    private final Map<String, LabHost> hosts = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Set<String> names = ConcurrentHashMap.newKeySet();
    private final AtomicInteger hostIndex = new AtomicInteger();
    private final AtomicInteger processCounter = new AtomicInteger();
    private final Thread shutdownHook = new Thread(this::tearDown, "ferry-lab-teardown");
    private volatile boolean closed;

    private Lab(String prefix, Path stateDir, String managementNet) {
        this.prefix = prefix;
        this.stateDir = stateDir;
        this.managementNet = managementNet;
    }

    /** Why a lab cannot run on this machine (not root, OVS or a tool missing), or empty. */
    public static Optional<String> unavailableReason() {
        if (!"0".equals(Shell.run("id", "-u").out().strip())) {
            return Optional.of("the OVS lab needs root (network namespaces, veth pairs)");
        }
        List<String> missing = REQUIRED_COMMANDS.stream().filter(c -> !onPath(c)).toList();
        if (!missing.isEmpty()) {
            return Optional.of("the OVS lab needs these commands: " + missing
                    + " (apt-get install openvswitch-switch iproute2 tcpdump ethtool)");
        }
        return Files.exists(Path.of(OVS_SCHEMA)) ? Optional.empty()
                : Optional.of("the OVS lab needs " + OVS_SCHEMA + " (package openvswitch-common)");
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
        return Stream.of(path.split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    /** Cleans up after dead runs, then builds an empty lab (underlay, no hosts). */
    public static Lab start() {
        unavailableReason().ifPresent(reason -> {
            throw new LabException(reason);
        });
        cleanLeftovers();
        Path dir = claimStateDir();
        Lab lab = new Lab(dir.getFileName().toString(), dir, pickManagementNet());
        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        try {
            lab.createControllerAddress();
            lab.createUnderlay();
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /**
     * Tears down every lab under {@link #ROOT} whose owning JVM is gone (killed test runs).
     * Returns the prefixes cleaned.
     */
    public static List<String> cleanLeftovers() {
        List<String> cleaned = new ArrayList<>();
        try (Stream<Path> dirs = Files.isDirectory(ROOT) ? Files.list(ROOT) : Stream.empty()) {
            dirs.filter(d -> d.getFileName().toString().matches(PREFIX_PATTERN))
                    .filter(LabOwner::isAbandoned)
                    .forEach(d -> {
                        List<String> left = new LabTeardown(d.getFileName().toString(), d).run(List.of());
                        if (!left.isEmpty()) {
                            System.err.println("ferry-lab: leftovers of " + d + " remain: " + left);
                        }
                        cleaned.add(d.getFileName().toString());
                    });
        } catch (IOException e) {
            throw new LabException("cannot scan " + ROOT, e);
        }
        return cleaned;
    }

    private static Path claimStateDir() {
        SecureRandom random = new SecureRandom();
        try {
            Files.createDirectories(ROOT);
            while (true) {
                String suffix = Integer.toString(36 * 36 * 36 + random.nextInt(35 * 36 * 36 * 36), 36).substring(0, 4);
                Path dir = ROOT.resolve(MARKER + suffix);
                try {
                    Files.createDirectory(dir);
                    LabOwner.current().writeTo(dir);
                    return dir;
                } catch (FileAlreadyExistsException taken) {
                    // Another lab holds that prefix: draw again.
                }
            }
        } catch (IOException e) {
            throw new LabException("cannot create a state directory under " + ROOT, e);
        }
    }

    /** A random 10.x.y.0/24 for management links, avoiding any 10.x.y. address already on the machine. */
    private static String pickManagementNet() {
        String used = Shell.run("ip", "-4", "route", "show", "table", "all").out()
                + Shell.run("ip", "-4", "addr").out();
        SecureRandom random = new SecureRandom();
        for (int attempt = 0; attempt < 100; attempt++) {
            String net = "10." + (64 + random.nextInt(190)) + "." + random.nextInt(256) + ".";
            if (!used.contains(net)) {
                return net;
            }
        }
        throw new LabException("no free 10.x.y.0/24 for the lab's management links");
    }

    // The controller address lives on a port-less bridge (this kernel has no "dummy" links) so a
    // controller can bind it before any host exists.
    private void createControllerAddress() {
        String link = controllerLink();
        rootLinks.add(link);
        Shell.check("ip", "link", "add", link, "type", "bridge");
        disableIpv6(link);
        Shell.check("ip", "addr", "add", controllerIp() + "/32", "dev", link);
        Shell.check("ip", "link", "set", link, "up");
    }

    /** Keeps root-namespace lab links quiet: no link-local address, no router solicitations. */
    static void disableIpv6(String rootLink) {
        try {
            Files.writeString(Path.of("/proc/sys/net/ipv6/conf", rootLink, "disable_ipv6"), "1");
        } catch (IOException e) {
            // IPv6 absent or not switchable: nothing to quiet.
        }
    }

    /** Root-namespace bridge that holds {@link #controllerIp()}. */
    public String controllerLink() {
        return prefix + "ctl";
    }

    private void createUnderlay() {
        String ns = underlayNamespace();
        createNamespace(ns);
        // No multicast snooping: its IGMP/MRD chatter would show up in underlay captures.
        Shell.check("ip", "-n", ns, "link", "add", UNDERLAY_BRIDGE, "type", "bridge", "mcast_snooping", "0");
        Shell.check("ip", "-n", ns, "link", "set", UNDERLAY_BRIDGE, "up");
    }

    /**
     * An empty namespace {@code <prefix>-<name>} (lo up, IPv6 off) that the lab removes on close:
     * a bare "container" for tools that plug interfaces in themselves ({@code ferry attach}).
     */
    public String addEmptyNamespace(String name) {
        claimName(name);
        String ns = prefix() + "-" + name;
        createNamespace(ns);
        return ns;
    }

    /** Adds a namespace with lo up and IPv6 off (no router solicitations flooding the pipeline). */
    void createNamespace(String ns) {
        namespaces.add(ns);
        Shell.check("ip", "netns", "add", ns);
        Shell.check("ip", "-n", ns, "link", "set", "lo", "up");
        // Not checked: a kernel without IPv6 has nothing to switch off.
        Shell.run("ip", "netns", "exec", ns, "sysctl", "-q", "-w",
                "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
    }

    public LabHost addHost(String name) {
        return addHost(HostSpec.named(name));
    }

    public LabHost addHost(HostSpec spec) {
        return addHosts(List.of(spec)).get(0);
    }

    public List<LabHost> addHosts(String... names) {
        return addHosts(Stream.of(names).map(HostSpec::named).toList());
    }

    public List<LabHost> addHosts(HostSpec... specs) {
        return addHosts(List.of(specs));
    }

    /** Builds the hosts in parallel (OVS daemons start in ~100s of ms each, mostly waiting). */
    public List<LabHost> addHosts(List<HostSpec> specs) {
        ensureOpen();
        specs.forEach(s -> claimName(s.name()));
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(8, specs.size()));
        try {
            List<Future<LabHost>> futures = new ArrayList<>();
            for (HostSpec spec : specs) {
                int index = hostIndex.incrementAndGet();
                futures.add(pool.submit(() -> LabHost.create(this, spec, index)));
            }
            List<LabHost> created = new ArrayList<>();
            for (Future<LabHost> f : futures) {
                LabHost host = await(f);
                hosts.put(host.name(), host);
                created.add(host);
            }
            return created;
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new LabException("lab step failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
    }

    void claimName(String name) {
        if (name.equals("underlay") || !names.add(name)) {
            throw new IllegalArgumentException("lab name already used: " + name);
        }
    }

    void releaseName(String name) {
        names.remove(name);
    }

    public LabHost host(String name) {
        LabHost host = hosts.get(name);
        if (host == null) {
            throw new IllegalArgumentException("no host " + name + " in lab " + prefix);
        }
        return host;
    }

    public List<LabHost> hosts() {
        synchronized (hosts) {
            return List.copyOf(hosts.values());
        }
    }

    /** The root-namespace address every host reaches over its management link: bind the controller here. */
    public String controllerIp() {
        return managementNet + "1";
    }

    public InetSocketAddress controllerListenAddress() {
        return controllerListenAddress(CONTROLLER_PORT);
    }

    public InetSocketAddress controllerListenAddress(int port) {
        return new InetSocketAddress(controllerIp(), port);
    }

    /** The OVS controller target hosts get by default: {@code tcp:<controllerIp>:6653}. */
    public String controllerTarget() {
        return controllerTarget(CONTROLLER_PORT);
    }

    public String controllerTarget(int port) {
        return "tcp:" + controllerIp() + ":" + port;
    }

    /** Starts tcpdump on the underlay bridge with a pcap filter ("" for everything). */
    public PacketCapture startUnderlayCapture(String filter) {
        return startCapture(underlayNamespace(), UNDERLAY_BRIDGE, filter);
    }

    PacketCapture startCapture(String namespace, String device, String filter) {
        List<String> command = new ArrayList<>(List.of("tcpdump", "-i", device, "-n", "-e", "-vv", "-l"));
        if (!filter.isBlank()) {
            command.addAll(List.of(filter.split("\\s+")));
        }
        return new PacketCapture(spawn(namespace, "tcpdump", command));
    }

    /** Captures on the underlay while {@code traffic} runs; returns the decoded packet lines. */
    public List<String> captureUnderlay(String filter, Runnable traffic) {
        PacketCapture capture = startUnderlayCapture(filter);
        try {
            traffic.run();
        } finally {
            // Give the last packets time to cross the userspace datapath before stopping.
            Shell.pause(200);
        }
        return capture.stop();
    }

    /** Starts a tracked background process in a lab namespace. */
    LabProcess spawn(String namespace, String label, List<String> command) {
        ensureOpen();
        Path dir = stateDir.resolve("procs");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LabException("cannot create " + dir, e);
        }
        String name = label + "-" + processCounter.incrementAndGet();
        LabProcess process = LabProcess.start(namespace, dir, name, command);
        pids.add(process.pid());
        return process;
    }

    void recordPid(long pid) {
        pids.add(pid);
    }

    void recordRootLink(String link) {
        rootLinks.add(link);
    }

    void forgetNamespace(String ns) {
        namespaces.remove(ns);
    }

    public String prefix() {
        return prefix;
    }

    public Path stateDir() {
        return stateDir;
    }

    public String underlayNamespace() {
        return prefix + "-underlay";
    }

    String underlayBridge() {
        return UNDERLAY_BRIDGE;
    }

    String managementNet() {
        return managementNet;
    }

    /** Everything the lab created and has not yet removed: namespaces, root links, PIDs. */
    public List<String> record() {
        List<String> all = new ArrayList<>();
        namespaces.forEach(n -> all.add("namespace " + n));
        rootLinks.forEach(l -> all.add("link " + l));
        pids.forEach(p -> all.add("pid " + p));
        return all;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("lab " + prefix + " is closed");
        }
    }

    /**
     * Leaves the lab running after this JVM exits ({@code ./ferry lab up}): writes {@code state} as
     * {@value #STATE_FILE} (KEY=value lines a shell can source), marks the owner persistent and
     * drops the shutdown hook. Only {@link #tearDownPersistent} removes it afterwards.
     */
    public void persist(Map<String, String> state) {
        ensureOpen();
        StringBuilder text = new StringBuilder();
        state.forEach((k, v) -> text.append(k).append("='").append(v.replace("'", "")).append("'\n"));
        try {
            Files.writeString(stateDir.resolve(STATE_FILE), text);
        } catch (IOException e) {
            throw new LabException("cannot write " + stateDir.resolve(STATE_FILE), e);
        }
        LabOwner.writePersistent(stateDir, hosts().stream().flatMap(h -> h.daemonPids().stream()).findFirst().orElse(0L));
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // Already shutting down.
        }
    }

    /** State directories of persistent labs ({@link #persist}), complete or left by a crashed {@code lab up}. */
    public static List<Path> persistentLabs() {
        try (Stream<Path> dirs = Files.isDirectory(ROOT) ? Files.list(ROOT) : Stream.empty()) {
            return dirs.filter(d -> d.getFileName().toString().matches(PREFIX_PATTERN))
                    .filter(LabOwner::isPersistent).sorted().toList();
        } catch (IOException e) {
            throw new LabException("cannot scan " + ROOT, e);
        }
    }

    /** Removes a persistent lab: its processes, links, namespaces and state dir. Returns what remains. */
    public static List<String> tearDownPersistent(Path stateDir) {
        return new LabTeardown(stateDir.getFileName().toString(), stateDir).run(List.of());
    }

    /** Removes every namespace, link and process of this lab, by name and PID, and its state dir. */
    @Override
    public void close() {
        tearDown();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // Already shutting down, or the hook is the caller.
        }
    }

    private synchronized void tearDown() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> left = new LabTeardown(prefix, stateDir).run(List.copyOf(pids));
        if (!left.isEmpty()) {
            System.err.println("ferry-lab " + prefix + ": could not remove " + left);
        }
        namespaces.clear();
        rootLinks.clear();
        pids.clear();
    }
}
