package dev.ferry.tests.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Executes CNI plugins the way a container runtime does (libcni): the plugin binary named by the
 * config's {@code type}, found on CNI_PATH, with CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS,
 * CNI_IFNAME, CNI_PATH in its environment and the network config on stdin, run inside a host's
 * network namespace. A conflist runs plugin by plugin: on ADD each gets the previous plugin's
 * result as prevResult; on CHECK and DEL (DEL in reverse) each gets the cached ADD result.
 */
public final class CniRuntime {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One plugin execution: exit code, stdout parsed as JSON (null when empty), stderr, wall time. */
  public record Invocation(int exitCode, JsonNode out, String rawOut, String err, double millis) {
    public boolean ok() {
      return exitCode == 0;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + " stdout " + rawOut.strip() + " stderr " + err.strip();
    }
  }

  private final String hostNamespace;
  private final List<Path> cniPath;

  /** @param hostNamespace the host's namespace the plugins run in (null: the current one) */
  public CniRuntime(String hostNamespace, List<Path> cniPath) {
    this.hostNamespace = hostNamespace;
    this.cniPath = List.copyOf(cniPath);
  }

  /** One plugin, one command: the plugin is config.type. */
  public Invocation exec(String command, String containerId, String netns, String ifname, JsonNode config) {
    return exec(command, containerId, netns, ifname, JSON.valueToTree(config).toString().getBytes(StandardCharsets.UTF_8),
        config.path("type").asText());
  }

  /** Raw stdin (for malformed configs) to the plugin named type. */
  public Invocation exec(String command, String containerId, String netns, String ifname, byte[] stdin, String type) {
    List<String> cmd = new ArrayList<>();
    if (hostNamespace != null) {
      cmd.addAll(List.of("ip", "netns", "exec", hostNamespace));
    }
    cmd.add(find(type).toString());
    ProcessBuilder b = new ProcessBuilder(cmd);
    Map<String, String> env = b.environment();
    env.put("CNI_COMMAND", command);
    put(env, "CNI_CONTAINERID", containerId);
    put(env, "CNI_NETNS", netns);
    put(env, "CNI_IFNAME", ifname);
    env.put("CNI_PATH", String.join(":", cniPath.stream().map(Path::toString).toList()));
    long t0 = System.nanoTime();
    try {
      Process p = b.start();
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin);
      }
      String out = read(p.getInputStream());
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(type + " " + command + " did not finish within 60 s");
      }
      double ms = (System.nanoTime() - t0) / 1e6;
      JsonNode parsed = null;
      if (!out.isBlank()) {
        try {
          parsed = JSON.readTree(out);
        } catch (IOException e) {
          parsed = null;
        }
      }
      return new Invocation(p.exitValue(), parsed, out, err.join(), ms);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs a conflist's ADD; returns the last plugin's result (what a runtime caches). Throws on a plugin's failure. */
  public JsonNode addList(JsonNode conflist, String containerId, String netns, String ifname) {
    JsonNode prev = null;
    for (JsonNode plugin : conflist.path("plugins")) {
      Invocation r = exec("ADD", containerId, netns, ifname, pluginConfig(conflist, plugin, prev));
      if (!r.ok() || r.out() == null) {
        throw new IllegalStateException(plugin.path("type").asText() + " ADD failed: " + r);
      }
      prev = r.out();
    }
    return prev;
  }

  /** CHECK through every plugin with the cached result; returns the first failure, or null. */
  public Invocation checkList(JsonNode conflist, String containerId, String netns, String ifname, JsonNode cached) {
    for (JsonNode plugin : conflist.path("plugins")) {
      Invocation r = exec("CHECK", containerId, netns, ifname, pluginConfig(conflist, plugin, cached));
      if (!r.ok()) {
        return r;
      }
    }
    return null;
  }

  /** DEL through the plugins in reverse with the cached result; returns the first failure, or null. */
  public Invocation delList(JsonNode conflist, String containerId, String netns, String ifname, JsonNode cached) {
    List<JsonNode> plugins = new ArrayList<>();
    conflist.path("plugins").forEach(plugins::add);
    for (int i = plugins.size() - 1; i >= 0; i--) {
      Invocation r = exec("DEL", containerId, netns, ifname, pluginConfig(conflist, plugins.get(i), cached));
      if (!r.ok()) {
        return r;
      }
    }
    return null;
  }

  /** A plugin's config as libcni builds it from a conflist: cniVersion and name from the list, prevResult if any. */
  static ObjectNode pluginConfig(JsonNode conflist, JsonNode plugin, JsonNode prev) {
    ObjectNode c = plugin.deepCopy();
    c.put("cniVersion", conflist.path("cniVersion").asText());
    c.put("name", conflist.path("name").asText());
    if (prev != null) {
      c.set("prevResult", prev);
    }
    return c;
  }

  private Path find(String type) {
    for (Path dir : cniPath) {
      Path p = dir.resolve(type);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new IllegalStateException("no plugin '" + type + "' on CNI_PATH " + cniPath);
  }

  private static void put(Map<String, String> env, String key, String value) {
    if (value == null) {
      env.remove(key);
    } else {
      env.put(key, value);
    }
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
