package dev.ferry.apps.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.apps.pipeline.FlowText;
import dev.ferry.apps.testing.SeedScenario;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seed scenario compiled per host, printed with table names and compared with checked-in
 * files. Run with -Dferry.golden.update=true to rewrite them after an intended change, then
 * read the diff before committing.
 */
class GoldenFlowsTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  @ParameterizedTest
  @ValueSource(strings = {"host1", "host2"})
  void seedScenarioMatchesGoldenFile(String host) throws IOException {
    String actual = FlowText.of(
        HostCompiler.compile(SeedScenario.MODEL, SeedScenario.BINDINGS, host),
        FlowText.Style.NAMED);
    assertGolden("seed-" + host + ".flows", actual);
  }

  /** The same in plain ovs-ofctl syntax: these files were loaded into a real OVS 3.1. */
  @ParameterizedTest
  @ValueSource(strings = {"host1", "host2"})
  void seedScenarioInOvsSyntaxMatchesGoldenFile(String host) throws IOException {
    String actual = FlowText.of(
        HostCompiler.compile(SeedScenario.MODEL, SeedScenario.BINDINGS, host),
        FlowText.Style.OVS);
    assertGolden("seed-" + host + ".ovs", actual);
  }

  /** Tenant A with a second, routed network; host1 has no port of it, host2 has one. */
  @ParameterizedTest
  @ValueSource(strings = {"host1", "host2"})
  void routedScenarioMatchesGoldenFile(String host) throws IOException {
    var state = HostCompiler.compile(SeedScenario.ROUTED_MODEL, SeedScenario.ROUTED_BINDINGS, host);
    assertGolden("routed-" + host + ".flows", FlowText.of(state, FlowText.Style.NAMED));
    assertGolden("routed-" + host + ".ovs", FlowText.of(state, FlowText.Style.OVS));
  }

  /** Uplink, floating IP and SNAT on host1 (see SeedScenario.NORTH_SOUTH_MODEL). */
  @ParameterizedTest
  @ValueSource(strings = {"host1"})
  void northSouthScenarioMatchesGoldenFile(String host) throws IOException {
    var state = HostCompiler.compile(SeedScenario.NORTH_SOUTH_MODEL, SeedScenario.NORTH_SOUTH_BINDINGS,
        SeedScenario.NEXT_HOPS, host);
    assertGolden("north-south-" + host + ".flows", FlowText.of(state, FlowText.Style.NAMED));
    assertGolden("north-south-" + host + ".ovs", FlowText.of(state, FlowText.Style.OVS));
  }

  /** Security groups beyond the default (see SeedScenario.SECURED_MODEL). */
  @ParameterizedTest
  @ValueSource(strings = {"host1", "host2"})
  void securedScenarioMatchesGoldenFile(String host) throws IOException {
    var state = HostCompiler.compile(SeedScenario.SECURED_MODEL, SeedScenario.SECURED_BINDINGS, host);
    assertGolden("secured-" + host + ".flows", FlowText.of(state, FlowText.Style.NAMED));
    assertGolden("secured-" + host + ".ovs", FlowText.of(state, FlowText.Style.OVS));
  }

  static void assertGolden(String name, String actual) throws IOException {
    Path file = GOLDEN.resolve(name);
    if (Boolean.getBoolean("ferry.golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual,
        name + " differs; rerun with -Dferry.golden.update=true if the change is intended");
  }
}
