package dev.ferry.controller;

import dev.ferry.controller.store.TokenHash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** The admin bearer token: configured, or generated once into {@code <data-dir>/admin-token}. */
final class AdminToken {

  private static final Logger LOG = LogManager.getLogger(AdminToken.class);

  private AdminToken() {}

  static String resolve(String configured, Path dataDir) throws IOException {
    if (configured != null) {
      return configured;
    }
    Path file = dataDir.resolve("admin-token");
    if (Files.exists(file)) {
      LOG.info("admin token read from {}", file.toAbsolutePath());
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
    Files.createDirectories(dataDir);
    String token = TokenHash.newToken();
    // Created with 0600 from the start: the token is never readable by others, not even briefly.
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, token + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    LOG.info("generated admin token into {} (mode 0600)", file.toAbsolutePath());
    return token;
  }
}
