package dev.ferry.controller.ops;

import dev.ferry.controller.cli.CtlClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The host credential host-setup keeps for attach/detach: issued by Ferry for this host only
 * (POST /v1/hosts/{name}/tokens, with the operator's token), written 0600. A file that still
 * authenticates is kept, so re-running host-setup issues nothing.
 */
public final class HostCredential {
  private HostCredential() {}

  public enum Outcome { ISSUED, KEPT }

  /** @param withToken a client of the same Ferry with another token */
  public static Outcome ensure(CtlClient admin, java.util.function.Function<String, CtlClient> withToken,
      String host, Path file) {
    if (Files.isReadable(file) && stillValid(withToken.apply(RestOptions.readCredential(file)))) {
      return Outcome.KEPT;
    }
    String token = admin.call("POST", "/v1/hosts/" + host + "/tokens", Map.of(), null).path("token").asText();
    write(file, token);
    return Outcome.ISSUED;
  }

  private static boolean stillValid(CtlClient client) {
    try {
      client.call("GET", "/v1/networks", null, null);
      return true;
    } catch (CtlClient.ApiFailure f) {
      if (f.status == 401) {
        return false;
      }
      throw f;
    }
  }

  private static void write(Path file, String token) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      // Written whole with 0600 beside the target, then moved: never readable by others, never half written.
      Path tmp = Files.createTempFile(dir, ".host-credential", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write host credential " + file, e);
    }
  }
}
