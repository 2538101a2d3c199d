package dev.ferry.tests.ops;

import dev.ferry.controller.Ferry;
import dev.ferry.controller.FerryConfig;
import dev.ferry.controller.HostPort;
import dev.ferry.controller.Main;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.lab.Shell;
import dev.ferry.tests.scenario.FerryApi;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Ferry with its REST API on the lab's controller address (host namespaces reach it over their
 * management links), and the operator commands run the way an operator runs them: host-setup
 * against a host's database, attach/detach inside the host's namespace.
 */
final class OpsLab implements AutoCloseable {
  static final String TOKEN = "ops-admin-token";

  final Lab lab;
  final Ferry ferry;
  final FerryApi api;
  private final Path dataDir;

  OpsLab(Lab lab, Path dataDir) {
    this.lab = lab;
    this.dataDir = dataDir;
    int restPort = freePort();
    FerryConfig config = new FerryConfig(new HostPort(lab.controllerIp(), Lab.CONTROLLER_PORT),
        new HostPort(lab.controllerIp(), restPort), dataDir, TOKEN, Duration.ofSeconds(1), Duration.ofSeconds(3));
    this.ferry = new Ferry(config).start();
    this.api = new FerryApi(restUrl(), TOKEN);
  }

  String restUrl() {
    return "http://" + lab.controllerIp() + ":" + ferry.restPort();
  }

  static String db(LabHost h) {
    return "unix:" + h.runDir().resolve("db.sock");
  }

  /** Where host-setup writes a host's credential and attach/detach on that host read it. */
  Path credential(LabHost h) {
    return dataDir.resolve("credentials").resolve(h.name());
  }

  /** ferry host-setup in this JVM (ovs-vsctl reaches the host's database by its socket); returns stdout. */
  String hostSetup(LabHost h, String... extra) {
    List<String> args = new ArrayList<>(List.of("host-setup", "--db", db(h), "--name", h.name(),
        "--tunnel-ip", h.tunnelIp(), "--controller", lab.controllerTarget(), "--url", restUrl(), "--token", TOKEN,
        "--credential", credential(h).toString()));
    args.addAll(List.of(extra));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute(args.toArray(String[]::new));
    if (rc != 0) {
      throw new AssertionError("host-setup exited " + rc + ": " + err + out);
    }
    return out.toString();
  }

  /**
   * ferry attach/detach as a process inside the host's namespace, as on a real host, with the
   * host credential host-setup wrote (no admin token).
   */
  Shell.Result inHost(LabHost h, String command, String... extra) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", h.namespace(), java,
        "-Dferry.log.level=warn", "-cp", System.getProperty("java.class.path"), "dev.ferry.controller.Main",
        command, "--db", db(h), "--url", restUrl(), "--credential", credential(h).toString()));
    cmd.addAll(List.of(extra));
    return Shell.run(Map.of(), Duration.ofSeconds(60), cmd);
  }

  void awaitConnected(long dpid) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (ferry.openflow().registry().get(dpid).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(Long.toHexString(dpid) + " did not connect to Ferry");
      }
      Shell.pause(20);
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    ferry.close();
  }
}
