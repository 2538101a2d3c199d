package dev.ferry.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FerryConfigTest {

  @TempDir
  Path dir;

  @Test
  void defaultsThenFileThenFlags() throws Exception {
    FerryConfig defaults = FerryConfig.resolve(null, Map.of());
    assertEquals(new HostPort("0.0.0.0", 6653), defaults.openflowListen());
    assertEquals(new HostPort("0.0.0.0", 8080), defaults.restListen());
    assertEquals(Path.of("./data"), defaults.dataDir());
    assertNull(defaults.adminToken());

    Path file = dir.resolve("ferry.properties");
    Files.writeString(file, "rest-listen=127.0.0.1:9000\ndata-dir=/var/lib/ferry\nadmin-token=from-file\n");
    Map<String, String> flags = new HashMap<>();
    flags.put(FerryConfig.REST_LISTEN, "127.0.0.1:9999");
    flags.put(FerryConfig.DATA_DIR, null);
    FerryConfig c = FerryConfig.resolve(file, flags);
    assertEquals(new HostPort("127.0.0.1", 9999), c.restListen(), "flags win");
    assertEquals(Path.of("/var/lib/ferry"), c.dataDir(), "file beats defaults");
    assertEquals("from-file", c.adminToken());
  }

  @Test
  void rejectsUnknownKeysAndBadAddresses() throws Exception {
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "rest_listen=1.2.3.4:80\n");
    var e = assertThrows(IllegalArgumentException.class, () -> FerryConfig.resolve(file, Map.of()));
    assertEquals(true, e.getMessage().contains("unknown key 'rest_listen'"));
    assertThrows(IllegalArgumentException.class, () -> FerryConfig.resolve(null, Map.of(FerryConfig.REST_LISTEN, "8080")));
    assertThrows(IllegalArgumentException.class, () -> FerryConfig.resolve(null, Map.of(FerryConfig.REST_LISTEN, "h:99999")));
  }

  @Test
  void generatesTheAdminTokenOnceWithMode0600() throws Exception {
    String first = AdminToken.resolve(null, dir);
    Path file = dir.resolve("admin-token");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(first, AdminToken.resolve(null, dir), "read back on the next start");
    assertEquals("given", AdminToken.resolve("given", dir), "configured token wins");
  }
}
