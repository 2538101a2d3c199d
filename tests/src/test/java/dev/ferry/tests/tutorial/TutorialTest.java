package dev.ferry.tests.tutorial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.scenario.FerryProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * docs/tutorial.md, run: every {@code sh} block in order, as root, from the repository root, in
 * one shell environment (exports carry over), with {@code ./ferry} on the classes of this build
 * (FERRY_CLASSPATH, so nothing is rebuilt). Each block must exit 0 (or what its
 * {@code # expect exit: N} line says) and its output must contain every line of the
 * {@code output} block that follows it, blanks collapsed. The only rewriting: Ferry's ports
 * become free ones and /tmp/ferry-tutorial a fresh directory, so the test can run next to a
 * Ferry already on 6653/8080 (the README's first command).
 */
class TutorialTest {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern EXPECT_EXIT = Pattern.compile("(?m)^# expect exit: (\\d+)$");

  record Block(int line, String script, List<String> expected, int exit) {}

  /** The sh blocks of a markdown text, each with the lines of the output block right after it. */
  static List<Block> blocks(String markdown) {
    List<Block> blocks = new ArrayList<>();
    List<String> lines = markdown.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).equals("```sh")) {
        continue;
      }
      int start = i + 1;
      int end = start;
      while (!lines.get(end).equals("```")) {
        end++;
      }
      String script = String.join("\n", lines.subList(start, end)) + "\n";
      int next = end + 1;
      while (next < lines.size() && lines.get(next).isBlank()) {
        next++;
      }
      List<String> expected = new ArrayList<>();
      if (next < lines.size() && lines.get(next).equals("```output")) {
        int o = next + 1;
        while (!lines.get(o).equals("```")) {
          if (!lines.get(o).isBlank()) {
            expected.add(normalize(lines.get(o)));
          }
          o++;
        }
      }
      Matcher m = EXPECT_EXIT.matcher(script);
      blocks.add(new Block(start, script, expected, m.find() ? Integer.parseInt(m.group(1)) : 0));
      i = end;
    }
    return blocks;
  }

  static String normalize(String line) {
    return line.strip().replaceAll("\\s+", " ");
  }

  @Test
  void theTutorialRunsAsWritten(@org.junit.jupiter.api.io.TempDir Path work) throws Exception {
    LabExtension.assumeLabAvailable();
    Assumptions.assumeTrue(Lab.persistentLabs().isEmpty(),
        "skipping: a lab made by ./ferry lab up is running here (" + Lab.persistentLabs() + "); the tutorial makes its own");
    List<Block> blocks = blocks(Files.readString(REPO.resolve("docs/tutorial.md")));
    assertTrue(blocks.size() > 10, "the tutorial's sh blocks: " + blocks.size());

    int rest = FerryProcess.freePort();
    int openflow = FerryProcess.freePort();
    Path tutorialDir = work.resolve("ferry-tutorial");
    Path env = work.resolve("env.sh");
    long start = System.nanoTime();
    try {
      for (int i = 0; i < blocks.size(); i++) {
        Block b = blocks.get(i);
        String script = b.script()
            .replace("/tmp/ferry-tutorial", tutorialDir.toString())
            .replace("127.0.0.1:8080", "127.0.0.1:" + rest)
            .replace("./ferry run ", "./ferry run --rest-listen 0.0.0.0:" + rest + " --openflow-listen 0.0.0.0:" + openflow + " ")
            .replace("./ferry lab up", "./ferry lab up --openflow-port " + openflow);
        Path file = work.resolve("block-" + i + ".sh");
        Files.writeString(file, script);
        Path out = work.resolve("block-" + i + ".out");
        long t0 = System.nanoTime();
        int exit = runBlock(file, env, out);
        String output = Files.readString(out, StandardCharsets.UTF_8);
        System.out.printf("tutorial block at line %d: exit %d in %d ms%n", b.line(), exit, (System.nanoTime() - t0) / 1_000_000);
        String where = "docs/tutorial.md line " + b.line() + ":\n" + b.script() + "--- output:\n" + output;
        assertEquals(b.exit(), exit, "exit code of " + where);
        List<String> got = output.lines().map(TutorialTest::normalize).toList();
        for (String want : b.expected()) {
          assertTrue(got.stream().anyMatch(l -> l.contains(want)), "missing '" + want + "' in " + where);
        }
      }
    } finally {
      cleanUp(tutorialDir);
      System.out.printf("tutorial: %d blocks in %.1f s%n", blocks.size(), (System.nanoTime() - start) / 1e9);
    }
  }

  /** One block in bash from the repository root, with the environment the blocks before it exported. */
  private static int runBlock(Path block, Path env, Path out) throws IOException, InterruptedException {
    String driver = "set -eo pipefail; [ -f '" + env + "' ] && source '" + env + "'; "
        + "trap \"export -p > '" + env + "'\" EXIT; source '" + block + "'";
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", driver).directory(REPO.toFile())
        .redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("FERRY_CLASSPATH", System.getProperty("java.class.path"));
    pb.environment().remove("FERRY_URL");
    pb.environment().remove("FERRY_TOKEN");
    Process p = pb.start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  /** What the tutorial made, even when it failed half way: the lab, Ferry, background processes. */
  private static void cleanUp(Path tutorialDir) throws Exception {
    for (Path lab : Lab.persistentLabs()) {
      List<String> left = Lab.tearDownPersistent(lab);
      assertTrue(left.isEmpty(), "lab left behind: " + left);
    }
    Path pid = tutorialDir.resolve("ferry.pid");
    if (Files.exists(pid)) {
      ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(h -> {
        h.destroy();
        h.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> {
          h.destroyForcibly();
          return h;
        }).join();
      });
    }
  }
}
