package dev.ferry.controller.ops;

import dev.ferry.controller.cli.CtlClient;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/** --url/--token resolved the way ferryctl resolves them (flag, FERRY_URL/FERRY_TOKEN, ctl.properties). */
public final class RestOptions {
  @Option(names = "--url", description = "Ferry's REST base URL (default: FERRY_URL, ctl.properties, http://127.0.0.1:8080)")
  String url;

  @Option(names = "--token", description = "admin bearer token (default: FERRY_TOKEN or ctl.properties)")
  String token;

  public CtlClient client(Map<String, String> env) {
    Properties file = new Properties();
    Path path = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config", "ferry", "ctl.properties");
    if (Files.isReadable(path)) {
      try (Reader r = Files.newBufferedReader(path)) {
        file.load(r);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read " + path + ": " + e.getMessage());
      }
    }
    return new CtlClient(first(url, env.get("FERRY_URL"), file.getProperty("url"), "http://127.0.0.1:8080"),
        first(token, env.get("FERRY_TOKEN"), file.getProperty("token"), null));
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
