package dev.ferry.controller.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.controller.ops.Commands;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The CNI plugin's entry point: environment and stdin in, result (or error result) on stdout.
 * A main of its own, apart from {@link dev.ferry.controller.Main}, so that an invocation loads
 * Jackson and the JDK's HTTP client but not picocli, Javalin or log4j (start-up is the cost).
 */
public final class CniMain {
  private CniMain() {}

  public static void main(String[] args) throws IOException {
    long t0 = System.nanoTime();
    byte[] stdin = System.in.readAllBytes();
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
    boolean trace = System.getenv("FERRY_CNI_TRACE") != null;
    Commands sh = trace ? traced(Commands.SYSTEM) : Commands.SYSTEM;
    int rc = run(System.getenv(), stdin, out, System.err, sh);
    out.flush();
    if (trace) {
      long started = ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
      System.err.printf("ferry cni trace: JVM start to main %d ms, main %.1f ms%n",
          System.currentTimeMillis() - started - (System.nanoTime() - t0) / 1_000_000, (System.nanoTime() - t0) / 1e6);
    }
    System.exit(rc);
  }

  /** Runs one invocation; returns the exit code. */
  public static int run(Map<String, String> env, byte[] stdin, PrintStream out, PrintStream err, Commands sh) {
    String version = "1.0.0";
    try {
      CniRequest req = CniRequest.from(env);
      if (req.command().equals("VERSION") && new String(stdin, StandardCharsets.UTF_8).isBlank()) {
        out.println(CniResult.version(version));
        return 0;
      }
      JsonNode doc = parse(stdin);
      if (doc.path("cniVersion").isTextual()) {
        version = doc.path("cniVersion").asText();
      }
      if (req.command().equals("VERSION")) {
        out.println(CniResult.version(version));
        return 0;
      }
      CniConfig config = CniConfig.parse(doc, hostname());
      ObjectNode result = new CniPlugin(sh, config).run(req);
      if (result != null) {
        out.println(result);
      }
      return 0;
    } catch (CniError e) {
      out.println(CniResult.error(version, e));
      err.println("ferry cni: " + e.getMessage() + (e.details == null ? "" : " (" + e.details + ")"));
      return 1;
    } catch (RuntimeException e) {
      CniError wrapped = new CniError(CniError.IO_FAILURE, "internal error: " + e, null);
      out.println(CniResult.error(version, wrapped));
      e.printStackTrace(err);
      return 1;
    }
  }

  /** FERRY_CNI_TRACE set: each host command's time on stderr (where the runtime logs it). */
  private static Commands traced(Commands inner) {
    return command -> {
      long t = System.nanoTime();
      Commands.Result r = inner.run(command);
      System.err.printf("ferry cni trace: %.1f ms %s%n", (System.nanoTime() - t) / 1e6, String.join(" ", command));
      return r;
    };
  }

  private static JsonNode parse(byte[] stdin) {
    try {
      JsonNode doc = CniResult.JSON.readTree(stdin);
      if (doc == null || doc.isMissingNode()) {
        throw new CniError(CniError.DECODE_FAILURE, "no network configuration on stdin");
      }
      return doc;
    } catch (IOException e) {
      throw new CniError(CniError.DECODE_FAILURE, "network configuration on stdin is not JSON", e.getMessage());
    }
  }

  /** The kernel's hostname, read without a DNS lookup (InetAddress.getLocalHost can stall on a node). */
  static String hostname() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip().split("\\.")[0];
    } catch (IOException e) {
      return "localhost";
    }
  }
}
