package dev.ferry.controller.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The real controller ({@code Main run}) in a child JVM, for crash and CLI tests. */
public final class ControllerProcess implements AutoCloseable {

  private final Path dataDir;
  private final int port;
  private final String adminToken;
  private final Path log;
  private Process process;

  public ControllerProcess(Path dataDir, String adminToken) throws IOException {
    this.dataDir = dataDir;
    this.adminToken = adminToken;
    this.port = freePort();
    this.log = dataDir.resolveSibling(dataDir.getFileName() + "-controller.log");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Starts the child and waits until /v1/health answers. */
  public ControllerProcess start() throws Exception {
    List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-cp", System.getProperty("java.class.path"),
        "dev.ferry.controller.Main", "run", "--rest-listen", "127.0.0.1:" + port,
        "--openflow-listen", "127.0.0.1:0", "--data-dir", dataDir.toString()));
    if (adminToken != null) {
      cmd.addAll(List.of("--admin-token", adminToken));
    }
    process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Api probe = new Api(url(), null);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("controller exited with " + process.exitValue() + "; see " + log);
      }
      try {
        if (probe.get("/v1/health").status() == 200) {
          return this;
        }
      } catch (RuntimeException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("controller did not answer /v1/health within 60 s; see " + log);
  }

  /** kill -9. */
  public void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  public long pid() {
    return process.pid();
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
