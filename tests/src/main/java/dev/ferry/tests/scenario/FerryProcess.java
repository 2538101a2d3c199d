package dev.ferry.tests.scenario;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Ferry as a separate process (`Main run`, the same entry point `./ferry run` uses), so that a
 * test can kill it with SIGKILL and start it again on the same data directory.
 */
public final class FerryProcess implements AutoCloseable {
  private final List<String> command;
  private final Path log;
  private final int restPort;
  private Process process;

  private FerryProcess(List<String> command, Path log, int restPort) {
    this.command = command;
    this.log = log;
    this.restPort = restPort;
  }

  /** Starts Ferry with its OpenFlow listener on openflowHost:6653 and REST on a free loopback port. */
  public static FerryProcess start(String openflowHost, int openflowPort, Path dataDir, String adminToken) {
    return start(openflowHost, openflowPort, dataDir, adminToken, List.of(), List.of());
  }

  /**
   * @param prefix command run in front of java (e.g. taskset -c 0)
   * @param jvmOptions e.g. -Xmx2g
   */
  public static FerryProcess start(String openflowHost, int openflowPort, Path dataDir,
      String adminToken, List<String> prefix, List<String> jvmOptions) {
    return start(openflowHost, openflowPort, dataDir, adminToken, prefix, jvmOptions, List.of());
  }

  /** @param ferryArgs more `ferry run` flags, e.g. --dhcp-lease-seconds 16 */
  public static FerryProcess start(String openflowHost, int openflowPort, Path dataDir,
      String adminToken, List<String> prefix, List<String> jvmOptions, List<String> ferryArgs) {
    int rest = freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new java.util.ArrayList<>(prefix);
    cmd.add(java);
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
        "dev.ferry.controller.Main", "run",
        "--openflow-listen", openflowHost + ":" + openflowPort,
        "--rest-listen", "127.0.0.1:" + rest,
        "--data-dir", dataDir.toString(),
        "--admin-token", adminToken));
    if (!ferryArgs.contains("--echo-timeout-ms")) { // a benchmark may give its own keepalive
      cmd.addAll(List.of("--echo-interval-ms", "1000", "--echo-timeout-ms", "3000"));
    }
    cmd.addAll(ferryArgs);
    FerryProcess p = new FerryProcess(cmd, dataDir.resolve("ferry.log"), rest);
    p.startProcess();
    return p;
  }

  public String restUrl() {
    return "http://127.0.0.1:" + restPort;
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed; exactly a crash. */
  public void kill9() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts the same command again (after {@link #kill9}). */
  public void restart() {
    startProcess();
  }

  private void startProcess() {
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start Ferry: " + command, e);
    }
    try {
      awaitHealthy(Duration.ofSeconds(30));
    } catch (RuntimeException e) {
      // Nobody holds this process yet: stop it here, or it outlives the test or benchmark.
      process.destroyForcibly();
      throw e;
    }
  }

  private void awaitHealthy(Duration timeout) {
    FerryApi api = new FerryApi(restUrl(), null);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        api.get("/v1/health");
        return;
      } catch (RuntimeException e) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("Ferry did not become healthy; see " + log, e);
        }
        OverlayLab.sleep(100);
      }
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
