package dev.ferry.tests.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./ferry} launcher's first build, in a copy of the launcher with nothing built, and a
 * {@code mvn} on PATH that records its arguments and prints what Maven prints (module lines, the
 * colour resets jansi writes): the user sees one progress line per module and no escape codes.
 */
class LauncherBuildTest {

  @Test
  void firstBuildShowsProgressWithoutColourCodes(@TempDir Path dir) throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Files.copy(Path.of("..", "ferry"), repo.resolve("ferry"));
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path args = dir.resolve("mvn-args");
    Path mvn = bin.resolve("mvn");
    Files.writeString(mvn, "#!/bin/bash\necho \"$@\" > " + args + "\n"
        + "printf '\\033[0m\\033[0m[INFO] Scanning for projects...\\n'\n"
        + "printf '\\033[1m[INFO] Building Ferry apps 0.1.0-SNAPSHOT [2/3]\\033[0m\\n'\n"
        + "echo '[INFO] Building Ferry controller 0.1.0-SNAPSHOT [3/3]'\n");
    Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder pb = new ProcessBuilder("bash", repo.resolve("ferry").toString(), "ctl", "--help")
        .redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));

    assertFalse(out.contains("\033"), () -> "escape codes in: " + out.replace("\033", "<ESC>"));
    assertTrue(out.contains("ferry:   Ferry apps 0.1.0-SNAPSHOT [2/3]"), out);
    assertTrue(out.contains("ferry:   Ferry controller 0.1.0-SNAPSHOT [3/3]"), out);
    String mvnArgs = Files.readString(args).strip();
    assertTrue(mvnArgs.contains("-Dstyle.color=never") && mvnArgs.contains("-B"), mvnArgs);
    assertFalse(mvnArgs.contains("-q"), "quiet hides the progress: " + mvnArgs);
    assertEquals(true, mvnArgs.endsWith("-pl controller -am"), mvnArgs);
  }
}
