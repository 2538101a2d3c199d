package dev.ferry.controller.ops;

import dev.ferry.controller.cli.CtlClient;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * --url/--token resolved the way ferryctl resolves them (flag, FERRY_URL/FERRY_TOKEN,
 * ctl.properties), and this host's credential file (see {@link #hostClient}).
 */
public final class RestOptions {
  /** Where host-setup keeps the host credential it was issued, and attach/detach read it. */
  public static final Path DEFAULT_CREDENTIAL = Path.of("/etc/ferry/host-credential");

  @Option(names = "--url", description = "Ferry's REST base URL (default: FERRY_URL, ctl.properties, http://127.0.0.1:8080)")
  String url;

  @Option(names = "--token", description = "bearer token (default: FERRY_TOKEN or ctl.properties; attach/detach: the host credential)")
  String token;

  @Option(names = "--credential", paramLabel = "FILE",
      description = "this host's credential (default " + "/etc/ferry/host-credential" + ")")
  Path credential;

  /** The client with the operator's (admin) token. */
  public CtlClient client(Map<String, String> env) {
    Properties file = ctlProperties(env);
    return new CtlClient(baseUrl(env, file), first(token, env.get("FERRY_TOKEN"), file.getProperty("token"), null));
  }

  /**
   * The client a host's own commands use: --token if given, else the host credential (which may
   * bind ports to this host only), else the operator's token as in {@link #client}.
   */
  public CtlClient hostClient(Map<String, String> env) {
    Path file = credentialFile();
    if (token == null && Files.isReadable(file)) {
      return new CtlClient(baseUrl(env, ctlProperties(env)), readCredential(file));
    }
    return client(env);
  }

  /** The same URL with another token. */
  CtlClient withToken(Map<String, String> env, String other) {
    return new CtlClient(baseUrl(env, ctlProperties(env)), other);
  }

  Path credentialFile() {
    return credential != null ? credential : DEFAULT_CREDENTIAL;
  }

  static String readCredential(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read host credential " + file, e);
    }
  }

  private String baseUrl(Map<String, String> env, Properties file) {
    return first(url, env.get("FERRY_URL"), file.getProperty("url"), "http://127.0.0.1:8080");
  }

  private static Properties ctlProperties(Map<String, String> env) {
    Properties file = new Properties();
    Path path = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config", "ferry", "ctl.properties");
    if (Files.isReadable(path)) {
      try (Reader r = Files.newBufferedReader(path)) {
        file.load(r);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read " + path + ": " + e.getMessage());
      }
    }
    return file;
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
