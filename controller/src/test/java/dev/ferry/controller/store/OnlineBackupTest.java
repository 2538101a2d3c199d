package dev.ferry.controller.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.controller.testing.FerryTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What docs/operations.md promises: `sqlite3 ferry.db .backup` of a running Ferry holds every committed write. */
class OnlineBackupTest extends FerryTestBase {

  @Test
  void anOnlineBackupOfARunningStoreHasEveryCommittedWrite(@TempDir Path backupDir) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/sqlite3")), "sqlite3 CLI missing");
    for (int i = 0; i < 20; i++) {
      createTenant("t" + i);
    }
    Path backup = backupDir.resolve("ferry.db");
    Process p = new ProcessBuilder("sqlite3", dataDir.resolve("ferry.db").toString(), ".backup " + backup)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(true, p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    try (SqliteStore restored = SqliteStore.open(backupDir)) {
      assertEquals(ferry.store().snapshot(), restored.snapshot());
      assertEquals(20, restored.list(Resource.TENANTS).size());
    }
  }
}
