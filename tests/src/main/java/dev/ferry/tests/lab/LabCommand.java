package dev.ferry.tests.lab;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.controller.Main;
import dev.ferry.controller.cli.CtlClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./ferry lab up|status|down}: a {@link Lab} that outlives the command, for the tutorial and
 * for trying Ferry on one machine. {@code up} builds hosts with bare OVS and runs the real
 * {@code ferry host-setup} on each; the lab then belongs to its state file ({@link Lab#persist}),
 * and {@code down} removes it by prefix, also after a crashed {@code up}. ({@code ./ferry lab exec}
 * and {@code ./ferry lab attach} are in the launcher: they only read {@link Lab#STATE_FILE}.)
 */
@Command(name = "ferry lab", mixinStandardHelpOptions = true, version = Main.VERSION,
    subcommands = {LabCommand.Up.class, LabCommand.Status.class, LabCommand.Down.class},
    description = "Simulated hosts on this machine (network namespaces, one OVS each) for trying Ferry.")
public final class LabCommand implements Runnable {
  static final String OUTSIDE = "outside";
  static final String OUTSIDE_CIDR = "203.0.113.1/24";
  static final String UPLINK_PORT = "up0";
  private static final PrintStream OUT = System.out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LabCommand()).setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("ferry lab: " + e.getMessage());
      return e instanceof IllegalArgumentException ? 2 : 1;
    }).execute(args));
  }

  @Override
  public void run() {
    CommandLine.usage(this, OUT);
  }

  private static void requireLab() {
    Lab.unavailableReason().ifPresent(reason -> {
      throw new IllegalStateException(reason + " (run it as root: sudo ./ferry lab ...)");
    });
  }

  @Command(name = "up", mixinStandardHelpOptions = true,
      description = "Build the lab and register its hosts with a running Ferry (ferry host-setup on each).")
  static final class Up implements Callable<Integer> {
    @Option(names = "--hosts", description = "number of hosts (default 2)")
    int hosts = 2;

    @Option(names = "--outside", description = "also an 'outside' namespace (" + OUTSIDE_CIDR + ") behind every host's uplink port " + UPLINK_PORT)
    boolean outside;

    @Option(names = "--openflow-port", description = "Ferry's OpenFlow port (default 6653)")
    int openflowPort = Lab.CONTROLLER_PORT;

    @Option(names = "--url", description = "Ferry's REST URL (default: FERRY_URL, else http://127.0.0.1:8080)")
    String url;

    @Option(names = "--token", description = "admin token (default: FERRY_TOKEN, else ./data/admin-token)")
    String token;

    @Override
    public Integer call() throws IOException {
      if (hosts < 1 || hosts > 20) {
        throw new IllegalArgumentException("--hosts: 1..20");
      }
      requireLab();
      List<Path> existing = Lab.persistentLabs();
      if (!existing.isEmpty()) {
        throw new IllegalStateException("a lab is already up (" + existing + "); ./ferry lab down first");
      }
      String restUrl = url != null ? url : System.getenv().getOrDefault("FERRY_URL", "http://127.0.0.1:8080");
      String adminToken = token != null ? token : adminToken();
      CtlClient api = new CtlClient(restUrl, adminToken);
      try {
        api.call("GET", "/v1/hosts", null, null);
      } catch (RuntimeException e) {
        throw new IllegalStateException("Ferry does not answer at " + restUrl + " (" + e.getMessage()
            + "); start it first (./ferry run) and pass its admin token (FERRY_TOKEN, with sudo -E)");
      }
      long start = System.nanoTime();
      Lab lab = Lab.start();
      try {
        List<LabHost> built = lab.addHosts(IntStream.rangeClosed(1, hosts)
            .mapToObj(i -> HostSpec.named("host" + i).bareOvs()).toList());
        for (LabHost h : built) {
          hostSetup(lab, h, restUrl, adminToken);
        }
        Map<String, String> state = new LinkedHashMap<>();
        state.put("prefix", lab.prefix());
        state.put("state_dir", lab.stateDir().toString());
        state.put("controller_ip", lab.controllerIp());
        state.put("openflow_port", Integer.toString(openflowPort));
        // What ferry attach inside a host uses: the controller address as the host sees it.
        state.put("lab_url", "http://" + lab.controllerIp() + ":" + port(restUrl));
        state.put("hosts", String.join(" ", built.stream().map(LabHost::name).toList()));
        for (LabHost h : built) {
          state.put("host_" + h.name() + "_db", "unix:" + h.runDir().resolve("db.sock"));
          state.put("host_" + h.name() + "_tunnel_ip", h.tunnelIp());
          state.put("host_" + h.name() + "_credential", credential(h).toString());
        }
        if (outside) {
          LabOutside o = LabOutside.create(lab, OUTSIDE, OUTSIDE_CIDR);
          built.forEach(h -> o.connect(h, UPLINK_PORT));
          state.put("outside_ip", o.ip());
        }
        resolveUnderlayNeighbours(built);
        awaitConnected(api, built);
        lab.persist(state);
      } catch (RuntimeException e) {
        lab.close();
        throw e;
      }
      OUT.printf("lab %s up in %.1f s: %d hosts%s, controller address %s (tcp:%s:%d)%n", lab.prefix(),
          (System.nanoTime() - start) / 1e9, hosts, outside ? " and 'outside' (" + OUTSIDE_CIDR + ")" : "",
          lab.controllerIp(), lab.controllerIp(), openflowPort);
      for (LabHost h : lab.hosts()) {
        OUT.printf("  %-6s tunnel %-12s ovsdb unix:%s%s%n", h.name(), h.tunnelIp(), h.runDir().resolve("db.sock"),
            outside ? ", uplink port " + UPLINK_PORT : "");
      }
      OUT.println("next: ./ferry lab status | sudo ./ferry lab attach HOST NAME --network NET | sudo ./ferry lab exec NAME CMD | sudo ./ferry lab down");
      return 0;
    }

    static String adminToken() throws IOException {
      String env = System.getenv("FERRY_TOKEN");
      if (env != null && !env.isBlank()) {
        return env;
      }
      Path file = Path.of("data", "admin-token");
      if (Files.isReadable(file)) {
        return Files.readString(file).strip();
      }
      throw new IllegalArgumentException("no admin token: set FERRY_TOKEN (sudo -E keeps it), pass --token, "
          + "or run from the directory where ./ferry run keeps data/admin-token");
    }

    private static int port(String url) {
      int p = URI.create(url).getPort();
      return p > 0 ? p : url.startsWith("https") ? 443 : 80;
    }

    /** Where host-setup keeps the host's credential (ferry attach on that host uses it): in the lab, not /etc. */
    static Path credential(LabHost h) {
      return h.runDir().resolve("host-credential");
    }

    /** The real {@code ferry host-setup}, against this host's ovsdb, in this JVM. */
    private void hostSetup(Lab lab, LabHost h, String restUrl, String adminToken) {
      int exit = Main.execute("host-setup", "--name", h.name(), "--tunnel-ip", h.tunnelIp(),
          "--controller", lab.controllerTarget(openflowPort), "--datapath-type", "netdev",
          "--db", "unix:" + h.runDir().resolve("db.sock"), "--url", restUrl, "--token", adminToken,
          "--credential", credential(h).toString());
      if (exit != 0) {
        throw new IllegalStateException("ferry host-setup failed on " + h.name() + " (exit " + exit + ")");
      }
    }

    /**
     * The userspace datapath drops the first packet towards a tunnel destination whose MAC it has
     * not learnt yet (it sends an ARP instead). One ping between every pair of tunnel addresses
     * fills OVS's tunnel neighbour cache before any tenant packet needs it.
     */
    private static void resolveUnderlayNeighbours(List<LabHost> hosts) {
      for (LabHost a : hosts) {
        for (LabHost b : hosts) {
          if (a != b) {
            a.exec("ping", "-n", "-q", "-c", "1", "-W", "2", b.tunnelIp());
          }
        }
      }
    }

    private static void awaitConnected(CtlClient api, List<LabHost> hosts) {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (true) {
        List<String> missing = new ArrayList<>();
        JsonNode list = api.call("GET", "/v1/hosts", null, null);
        for (LabHost h : hosts) {
          boolean up = false;
          for (JsonNode j : list) {
            up |= j.path("name").asText().equals(h.name()) && j.path("connected").asBoolean();
          }
          if (!up) {
            missing.add(h.name());
          }
        }
        if (missing.isEmpty()) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("hosts " + missing + " did not connect to Ferry within 20 s: is it "
              + "listening for OpenFlow on port " + hosts.get(0).lab().controllerIp() + ":6653 (or 0.0.0.0)?");
        }
        Shell.pause(100);
      }
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "What the lab has and what is connected.")
  static final class Status implements Callable<Integer> {
    @Override
    public Integer call() throws IOException {
      List<Path> labs = Lab.persistentLabs();
      if (labs.isEmpty()) {
        OUT.println("no lab is up (sudo ./ferry lab up)");
        return 0;
      }
      Map<String, Boolean> ferrySays = ferryConnected();
      for (Path dir : labs) {
        String prefix = dir.getFileName().toString();
        List<String> namespaces = new LabTeardown(prefix, dir).namespaces();
        Path hostsDir = dir.resolve("hosts");
        List<String> hostNames = Files.isDirectory(hostsDir)
            ? Files.list(hostsDir).map(p -> p.getFileName().toString()).sorted().toList() : List.of();
        OUT.println("lab " + prefix + " (" + dir + (Files.exists(dir.resolve(Lab.STATE_FILE)) ? "" : ", incomplete: ./ferry lab down")
            + ")");
        OUT.printf("  %-8s %-10s %-10s %-12s %s%n", "HOST", "OVS", "CONNECTED", "CONTROLLER", "PORTS ON br-int");
        // CONNECTED: Ferry's view when it answers (FERRY_URL/FERRY_TOKEN or ./data/admin-token), else OVS's (lags ~5 s).
        for (String host : hostNames) {
          Path run = hostsDir.resolve(host);
          boolean ovs = List.of("ovsdb.pid", "vswitchd.pid").stream()
              .allMatch(f -> Pids.readPidFile(run.resolve(f)).stream().anyMatch(Pids::alive));
          String db = "--db=unix:" + run.resolve("db.sock");
          String connected = ferrySays.containsKey(host) ? ferrySays.get(host).toString() : ovs ? Shell.run("ovs-vsctl", db, "--timeout=2", "--if-exists", "get", "Controller", "br-int",
              "is_connected").out().strip() : "-";
          String ports = ovs ? String.join(",", Shell.run("ovs-vsctl", db, "--timeout=2", "list-ports", "br-int").out()
              .strip().lines().toList()) : "-";
          // The mode host-setup sets: Ferry is reached over the management link, never through br-int's flows.
          String mode = ovs ? Shell.run("ovs-vsctl", db, "--timeout=2", "--if-exists", "get", "Controller", "br-int",
              "connection_mode").out().strip() : "";
          OUT.printf("  %-8s %-10s %-10s %-12s %s%n", host, ovs ? "running" : "DOWN", connected.isEmpty() ? "-" : connected,
              mode.isEmpty() ? "-" : mode, ports.isEmpty() ? "-" : ports);
        }
        List<String> others = namespaces.stream().map(n -> n.substring(prefix.length() + 1))
            .filter(n -> !hostNames.contains(n) && !n.equals("underlay")).sorted().toList();
        OUT.println("  namespaces: " + (others.isEmpty() ? "-" : String.join(" ", others))
            + "   (sudo ./ferry lab exec NAME CMD runs CMD in one)");
      }
      return 0;
    }
  }

  /** Host name to "connected" as Ferry reports it; empty when Ferry cannot be asked. */
  static Map<String, Boolean> ferryConnected() {
    Map<String, Boolean> out = new LinkedHashMap<>();
    try {
      String url = System.getenv().getOrDefault("FERRY_URL", "http://127.0.0.1:8080");
      for (JsonNode h : new CtlClient(url, Up.adminToken()).call("GET", "/v1/hosts", null, null)) {
        out.put(h.path("name").asText(), h.path("connected").asBoolean());
      }
    } catch (IOException | RuntimeException e) {
      // Ferry down or no token: the caller falls back on OVS's own column.
    }
    return out;
  }

  @Command(name = "down", mixinStandardHelpOptions = true,
      description = "Remove every lab 'lab up' made: processes, namespaces, links, state (also after a crash).")
  static final class Down implements Callable<Integer> {
    @Override
    public Integer call() {
      requireLab();
      // A "lab up" that died before handing its lab over left a lab whose owner is gone.
      Lab.cleanLeftovers().forEach(prefix -> OUT.println("lab " + prefix + " (left by a crashed run) removed"));
      List<Path> labs = Lab.persistentLabs();
      if (labs.isEmpty()) {
        OUT.println("no lab is up");
      }
      int failed = 0;
      for (Path dir : labs) {
        List<String> left = Lab.tearDownPersistent(dir);
        if (left.isEmpty()) {
          OUT.println("lab " + dir.getFileName() + " removed");
        } else {
          failed++;
          OUT.println("lab " + dir.getFileName() + ": could not remove " + left);
        }
      }
      return failed == 0 ? 0 : 1;
    }
  }
}
