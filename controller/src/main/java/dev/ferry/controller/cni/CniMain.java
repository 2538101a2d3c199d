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
    byte[] stdin = System.in.readAllBytes();
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
    int rc = run(System.getenv(), stdin, out, System.err, Commands.SYSTEM);
    out.flush();
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
