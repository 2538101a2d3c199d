package dev.ferry.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * ferryctl: the command line over Ferry's REST API.
 *
 * <p>Exit codes: 0 ok; 1 the API refused the request (4xx); 2 usage error; 3 Ferry unreachable
 * or failing (5xx).
 */
@Command(name = "ferryctl", mixinStandardHelpOptions = true, version = "ferryctl 0.1",
    description = "Manage Ferry's tenants, networks, ports, hosts and floating IPs.",
    subcommands = {TenantCmd.class, NetworkCmd.class, PortCmd.class, HostCmd.class, PoolCmd.class, FloatingIpCmd.class,
        SwitchCmd.class, TraceCmd.class, SecurityGroupCmd.class, CommandLine.HelpCommand.class},
    footer = {"", "Connection: --url/--token, else FERRY_URL/FERRY_TOKEN, else url=/token= in "
        + "~/.config/ferry/ctl.properties; the URL defaults to http://127.0.0.1:8080.",
        "Exit codes: 0 ok, 1 API refused (4xx), 2 usage, 3 unreachable or server error (5xx)."})
public final class FerryCtl implements Runnable {

  public static final int OK = 0;
  public static final int API_ERROR = 1;
  public static final int USAGE = 2;
  public static final int UNREACHABLE = 3;

  @Option(names = "--url", scope = ScopeType.INHERIT, description = "Ferry's REST base URL")
  String url;

  @Option(names = "--token", scope = ScopeType.INHERIT, description = "bearer token (admin or tenant)")
  String token;

  @Option(names = "--config", scope = ScopeType.INHERIT, hidden = true,
      description = "config file (default ~/.config/ferry/ctl.properties)")
  Path config;

  @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, description = "table (default) or json")
  Output.Format output = Output.Format.table;

  @Option(names = "--wait", scope = ScopeType.INHERIT,
      description = "on writes: answer only once every affected switch holds the change (REST ?wait=switches)")
  boolean waitForSwitches;

  @Option(names = "--wait-timeout-ms", scope = ScopeType.INHERIT,
      description = "with --wait: give up after this many milliseconds (default 5000; the change stays committed)")
  Long waitTimeoutMs;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private final Map<String, String> env;

  public FerryCtl(Map<String, String> env) {
    this.env = env;
  }

  public static void main(String[] args) {
    System.exit(run(System.getenv(), args));
  }

  /** Runs ferryctl with the given environment; returns the exit code. */
  public static int run(Map<String, String> env, String... args) {
    return commandLine(env).execute(args);
  }

  /** The whole command tree (every subcommand declares mixinStandardHelpOptions); failures become exit codes. */
  static CommandLine commandLine(Map<String, String> env) {
    CommandLine cl = new CommandLine(new FerryCtl(env));
    cl.setExecutionExceptionHandler(FerryCtl::onFailure);
    return cl;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "name a resource: tenant, network, port, host or floating-ip (see ferryctl --help)");
  }

  CtlClient client() {
    Properties file = configFile();
    String u = first(url, env.get("FERRY_URL"), file.getProperty("url"), "http://127.0.0.1:8080");
    String t = first(token, env.get("FERRY_TOKEN"), file.getProperty("token"), null);
    try {
      return new CtlClient(u, t);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private Properties configFile() {
    Path path = config != null ? config
        : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config", "ferry", "ctl.properties");
    Properties p = new Properties();
    if (Files.isReadable(path)) {
      try (Reader r = Files.newBufferedReader(path)) {
        p.load(r);
      } catch (IOException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "cannot read " + path + ": " + e.getMessage());
      }
    }
    return p;
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  /** Calls the API and prints the answer. */
  int call(CommandLine cmd, String method, String path, Map<String, Object> body, String ifMatch,
      List<String> columns) {
    return call(cmd, method, path, body, ifMatch, columns, UnaryOperator.identity());
  }

  /** As above; {@code forTable} reshapes the answer for the table (sorting, readable cells), not for -o json. */
  int call(CommandLine cmd, String method, String path, Map<String, Object> body, String ifMatch,
      List<String> columns, UnaryOperator<JsonNode> forTable) {
    JsonNode answer = client().call(method, withWait(method, path), body, ifMatch);
    if (output == Output.Format.table) {
      answer = forTable.apply(answer);
    }
    PrintWriter out = cmd.getOut();
    if (method.equals("DELETE")) {
      out.println("deleted " + path.substring(path.lastIndexOf('/') + 1));
      out.flush();
    } else {
      Output.print(out, output, answer, columns);
    }
    return OK;
  }

  /** A write's path with the wait options, when asked for. */
  private String withWait(String method, String path) {
    if (!waitForSwitches || method.equals("GET")) {
      return path;
    }
    return path + (path.contains("?") ? "&" : "?") + "wait=switches"
        + (waitTimeoutMs == null ? "" : "&timeout_ms=" + waitTimeoutMs);
  }

  private static int onFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    if (e instanceof CtlClient.ApiFailure f) {
      err.println("error: " + f.getMessage());
      String field = f.body.path("field").asText(null);
      if (field != null) {
        err.println("  field: " + field);
      }
      err.println("  (HTTP " + f.status + " " + f.body.path("error").asText("") + ")" + hint(f.status));
      err.flush();
      return f.status >= 500 ? UNREACHABLE : API_ERROR;
    }
    if (e instanceof CtlClient.Unreachable u) {
      err.println("error: " + u.getMessage());
      err.flush();
      return UNREACHABLE;
    }
    err.println("error: " + e);
    err.flush();
    return UNREACHABLE;
  }

  private static String hint(int status) {
    return switch (status) {
      case 401 -> "\n  hint: pass the admin or a tenant token with --token, FERRY_TOKEN or token= in ~/.config/ferry/ctl.properties";
      case 403 -> "\n  hint: this needs the admin token";
      case 412 -> "\n  hint: someone changed it since you read it; run 'show' and retry with the new --if-match";
      default -> "";
    };
  }
}
