package dev.ferry.controller.docker;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which Ferry network each Docker network is (Docker names only its own id after CreateNetwork),
 * kept in a JSON file so that a restarted plugin still knows. State: the map, guarded by this
 * object's monitor; every change is written through before the call returns.
 */
final class DockerNetworks {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Map<String, String> ferryByDocker;

  DockerNetworks(Path file) {
    this.file = file;
    try {
      ferryByDocker = Files.exists(file) ? JSON.readValue(file.toFile(), new TypeReference<HashMap<String, String>>() {})
          : new HashMap<>();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the plugin's state " + file + ": " + e.getMessage());
    }
  }

  synchronized Optional<String> ferryNetwork(String dockerNetworkId) {
    return Optional.ofNullable(ferryByDocker.get(dockerNetworkId));
  }

  synchronized void put(String dockerNetworkId, String ferryNetworkId) {
    ferryByDocker.put(dockerNetworkId, ferryNetworkId);
    save();
  }

  synchronized void remove(String dockerNetworkId) {
    if (ferryByDocker.remove(dockerNetworkId) != null) {
      save();
    }
  }

  private void save() {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".docker-plugin", ".json");
      JSON.writeValue(tmp.toFile(), ferryByDocker);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the plugin's state " + file, e);
    }
  }
}
