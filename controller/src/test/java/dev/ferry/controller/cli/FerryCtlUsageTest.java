package dev.ferry.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.controller.Main;
import dev.ferry.controller.testing.Api;
import dev.ferry.controller.testing.FerryTestBase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The newcomer's first contacts with ferryctl and ferry: help everywhere, usage errors, readable port tables. */
class FerryCtlUsageTest extends FerryTestBase {

  record Result(int exit, String out, String err) {}

  private static Result run(CommandLine cl, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  private Result ctl(String... args) {
    return run(FerryCtl.commandLine(Map.of("FERRY_URL", admin.base(), "FERRY_TOKEN", ADMIN_TOKEN)), args);
  }

  /** Every command path of the tree, e.g. [port, create]. */
  private static List<List<String>> paths(CommandLine cl, List<String> prefix) {
    List<List<String>> all = new ArrayList<>();
    all.add(prefix);
    cl.getSubcommands().forEach((name, sub) -> {
      if (!name.equals("help") && sub.getCommandSpec().name().equals(name)) {
        List<String> p = new ArrayList<>(prefix);
        p.add(name);
        all.addAll(paths(sub, p));
      }
    });
    return all;
  }

  @Test
  void everySubcommandAnswersHelp() {
    List<List<String>> paths = paths(FerryCtl.commandLine(Map.of()), List.of());
    assertTrue(paths.size() > 25, "the whole tree: " + paths);
    for (List<String> path : paths) {
      String[] args = Stream.concat(path.stream(), Stream.of("--help")).toArray(String[]::new);
      Result r = run(FerryCtl.commandLine(Map.of()), args);
      assertEquals(0, r.exit(), () -> String.join(" ", args) + ": " + r);
      assertTrue(r.out().contains("Usage:"), () -> String.join(" ", args) + ": " + r);
    }
    Result help = run(FerryCtl.commandLine(Map.of()), "help");
    assertEquals(0, help.exit(), help::toString);
    assertTrue(help.out().contains("tenant") && help.out().contains("floating-ip"), help::toString);
    Result helpPort = run(FerryCtl.commandLine(Map.of()), "help", "port");
    assertEquals(0, helpPort.exit(), helpPort::toString);
    assertTrue(helpPort.out().contains("create"), helpPort::toString);
  }

  @Test
  void ferryRunAndEveryOpsCommandPrintTheVersion() {
    for (String cmd : List.of("run", "host-setup", "attach", "detach")) {
      Result r = run(new CommandLine(new Main()), cmd, "-V");
      assertEquals(0, r.exit(), () -> cmd + ": " + r);
      assertEquals(Main.VERSION, r.out().strip(), () -> cmd + ": " + r);
    }
  }

  @Test
  void aUrlWithoutSchemeIsAUsageError() {
    Result r = run(FerryCtl.commandLine(Map.of("FERRY_TOKEN", "x")), "--url", "127.0.0.1:8080", "tenant", "list");
    assertEquals(FerryCtl.USAGE, r.exit(), r::toString);
    assertTrue(r.err().contains("http://127.0.0.1:8080"), r::toString);
    assertTrue(!r.err().contains("URISyntaxException") && !r.err().contains("\tat "), r::toString);

    // ferry host-setup/attach resolve --url the same way: also a usage error, exit 2.
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new Main()).setErr(new PrintWriter(err, true))
        .setExecutionExceptionHandler((e, cmd, parsed) -> e instanceof IllegalArgumentException ? 2 : 1)
        .execute("attach", "--netns", "nope-ns", "--network", "n", "--url", "127.0.0.1:8080");
    assertEquals(2, exit, err::toString);
  }

  @Test
  void optionsStillReachTheirParametersNextToTheHelpOptions() throws Exception {
    Result r = ctl("tenant", "create", "--id", "acme", "--name", "Acme Inc", "-o", "json");
    assertEquals(0, r.exit(), r::toString);
    assertEquals("Acme Inc", Api.JSON.readTree(r.out()).get("name").asText(), r::toString);
  }

  @Test
  void portListIsSortedByNameWithAReadableStatus() {
    String tenant = createTenant("acme");
    String net = createNetwork(tenant, "10.0.0.0/24");
    for (String name : List.of("web2", "db", "web1")) {
      created(admin.post("/v1/ports", Api.obj("network", net, "name", name)));
    }
    Result r = ctl("port", "list");
    assertEquals(0, r.exit(), r::toString);
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.get(0).startsWith("NAME"), r::toString);
    assertEquals(List.of("db", "web1", "web2"), lines.stream().skip(1).map(l -> l.split("\\s+")[0]).toList(), r::toString);
    assertTrue(lines.stream().skip(1).allMatch(l -> l.contains(" unbound ")), r::toString);
    assertTrue(!r.out().contains("state="), r::toString);
  }
}
