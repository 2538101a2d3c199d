package dev.ferry.tests.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.lab.LabProcess;
import dev.ferry.tests.lab.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * With real dockerds (Debian's docker.io), one per lab host inside its namespace, each with its
 * own {@code ferry docker-plugin} (driver named after the lab and host, socket in
 * /run/docker/plugins): {@code docker network create -d ... --ipam-driver ...} on both, one
 * container per host from a busybox image imported offline; they get Ferry's addresses and ping
 * each other; {@code docker rm} and {@code docker network rm} leave nothing behind.
 */
@ExtendWith(LabExtension.class)
class DockerEngineTest {
  private static final Path PLUGINS = Path.of("/run/docker/plugins");

  @Test
  void containersOnTwoHostsDockerdsPingOverFerryAndRemovalLeavesNothing(Lab lab, @TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(Shell.run("which", "dockerd").ok(), "dockerd is not installed (apt-get install docker.io)");
    List<Engine> engines = new ArrayList<>();
    try (OpsLab ops = new OpsLab(lab, dir.resolve("data"))) {
      List<LabHost> hosts = CniPluginTest.registeredHosts(ops, "h1", "h2");
      ops.api.createNetwork(ops.api.createTenant("blue"), "blue-net", 100, "10.30.0.0/24");
      Path rootfs = busyboxRootfs(dir.resolve("rootfs"));
      for (LabHost h : hosts) {
        engines.add(Engine.start(lab, ops, h, dir.resolve(h.name())));
      }
      for (Engine e : engines) {
        e.docker(Duration.ofSeconds(120), "sh", "-c", "tar -C " + rootfs + " -c . | docker -H unix://" + e.socket
            + " import - ferry-bb:1");
        e.docker("network", "create", "-d", e.driver, "--ipam-driver", e.driver, "--opt", "ferry.network=blue-net",
            "--ipam-opt", "ferry.network=blue-net", "net1");
        e.docker("run", "-d", "--network", "net1", "--name", "c-" + e.host.name(), "ferry-bb:1", "sleep", "600");
      }
      String ip1 = engines.get(0).docker("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", "c-h1").strip();
      String ip2 = engines.get(1).docker("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", "c-h2").strip();
      assertTrue(ip1.startsWith("10.30.0.") && ip2.startsWith("10.30.0."), ip1 + " " + ip2);
      JsonNode ports = ops.api.get("/v1/ports");
      assertEquals(2, ports.size(), ports.toString());
      List<String> ferryIps = new ArrayList<>();
      ports.forEach(p -> ferryIps.add(p.path("ip").asText()));
      assertTrue(ferryIps.containsAll(List.of(ip1, ip2)), "addresses not Ferry's: " + ferryIps + " vs " + ip1 + ", " + ip2);
      assertTrue(pings(engines.get(0), "c-h1", ip2, 30), "containers on two hosts' dockerds do not ping");

      for (Engine e : engines) {
        e.docker("rm", "-f", "c-" + e.host.name());
        e.docker("network", "rm", "net1");
      }
      assertEquals(0, ops.api.get("/v1/ports").size(), "Ferry ports left: " + ops.api.get("/v1/ports"));
      for (LabHost h : hosts) {
        assertFalse(h.exec("ip", "-o", "link").out().lines().anyMatch(l -> l.matches("\\d+: fy\\p{XDigit}{10}[@:].*")),
            "veth left on " + h.name());
        assertEquals(List.of("vxlan0"), h.vsctl("list-ports", "br-int").lines().toList(), "OVS ports left on " + h.name());
      }
    } finally {
      for (Engine e : engines) {
        e.stop();
      }
    }
  }

  private static boolean pings(Engine e, String container, String ip, int seconds) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (e.run(Duration.ofSeconds(10), "docker", "-H", "unix://" + e.socket, "exec", container, "ping", "-c", "1", "-W", "1", ip)
          .ok()) {
        return true;
      }
    }
    return false;
  }

  /** busybox (Debian's, dynamically linked) with its libraries and the applets the test runs. */
  private static Path busyboxRootfs(Path root) throws IOException {
    Path busybox = Path.of("/bin/busybox");
    Files.createDirectories(root.resolve("bin"));
    Files.copy(busybox, root.resolve("bin/busybox"));
    for (String line : Shell.check("ldd", busybox.toString()).lines().toList()) {
      int slash = line.indexOf('/');
      if (slash >= 0) {
        Path lib = Path.of(line.substring(slash).replaceAll(" \\(0x.*", "").strip());
        Path target = root.resolve(lib.toString().substring(1));
        Files.createDirectories(target.getParent());
        Files.copy(lib, target);
      }
    }
    for (String applet : List.of("sh", "ping", "ip", "sleep")) {
      Files.createSymbolicLink(root.resolve("bin").resolve(applet), Path.of("busybox"));
    }
    return root;
  }

  /** One host's dockerd and Ferry plugin, both inside the host's namespace. */
  private record Engine(LabHost host, String driver, Path socket, Path pidFile, LabProcess dockerd, LabProcess plugin) {
    static Engine start(Lab lab, OpsLab ops, LabHost h, Path dir) throws IOException {
      String driver = lab.prefix() + "-" + h.name();
      Files.createDirectories(PLUGINS);
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      LabProcess plugin = h.spawn(java, "-Dferry.log.level=warn", "-cp", System.getProperty("java.class.path"),
          "dev.ferry.controller.Main", "docker-plugin", "--socket", PLUGINS.resolve(driver + ".sock").toString(),
          "--url", ops.restUrl(), "--credential", ops.credential(h).toString(), "--host", h.name(), "--db", OpsLab.db(h),
          "--state", dir.resolve("plugin-state.json").toString());
      Path socket = dir.resolve("docker.sock");
      Path pidFile = dir.resolve("dockerd.pid");
      // ip netns exec remounts /sys for the namespace, which hides the cgroup mounts dockerd needs
      // ("Devices cgroup isn't mounted"): back into the machine's mount namespace, keeping the host's network.
      LabProcess dockerd = h.spawn("nsenter", "--mount=/proc/" + ProcessHandle.current().pid() + "/ns/mnt", "dockerd", "--data-root", dir.resolve("data").toString(), "--exec-root",
          dir.resolve("exec").toString(), "--host", "unix://" + socket, "--pidfile", pidFile.toString(),
          "--storage-driver", "vfs", "--iptables=false", "--ip6tables=false", "--bridge=none", "--ip-forward=false",
          "--ip-masq=false", "--userland-proxy=false");
      Engine e = new Engine(h, driver, socket, pidFile, dockerd, plugin);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!e.run(Duration.ofSeconds(10), "docker", "-H", "unix://" + socket, "version").ok()) {
        if (!dockerd.alive() || System.nanoTime() > deadline) {
          throw new AssertionError("dockerd on " + h.name() + " did not start: " + dockerd.errorLines());
        }
        Shell.pause(200);
      }
      return e;
    }

    Shell.Result run(Duration timeout, String... command) {
      return Shell.run(Map.of(), timeout, List.of(command));
    }

    String docker(String... args) {
      return docker(Duration.ofSeconds(60), args);
    }

    String docker(Duration timeout, String... args) {
      List<String> cmd = new ArrayList<>();
      if (!args[0].equals("sh")) {
        cmd.addAll(List.of("docker", "-H", "unix://" + socket));
      }
      cmd.addAll(List.of(args));
      Shell.Result r = Shell.run(Map.of(), timeout, cmd);
      if (!r.ok()) {
        throw new AssertionError(String.join(" ", cmd) + " failed: " + r.err() + r.out() + "\nplugin: " + plugin.errorLines()
            + plugin.outputLines());
      }
      return r.out();
    }

    /** SIGTERM and a wait, so dockerd stops its containerd and shims; then the plugin. */
    void stop() {
      Shell.run(Map.of(), Duration.ofSeconds(60), List.of("docker", "-H", "unix://" + socket, "rm", "-f", "c-" + host.name()));
      Shell.run("kill", "-TERM", Long.toString(dockerd.pid()));
      if (dockerd.waitFor(30_000) < 0) {
        dockerd.stop();
      }
      plugin.stop();
    }
  }
}
