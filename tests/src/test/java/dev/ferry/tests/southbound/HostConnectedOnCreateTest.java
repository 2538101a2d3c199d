package dev.ferry.tests.southbound;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.controller.Ferry;
import dev.ferry.controller.FerryConfig;
import dev.ferry.controller.HostPort;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.scenario.FerryApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * POST /v1/hosts for a bridge that is already connected answers connected: true, every time
 * (it used to look the host up in the engine's model, which learns of the new host only after
 * the answer was written: false in 3 of 5 tries).
 */
@ExtendWith(LabExtension.class)
class HostConnectedOnCreateTest {
  private static final String TOKEN = "test-admin-token";

  @Test
  void registeringAConnectedBridgeAnswersConnected(Lab lab, @TempDir Path dataDir) throws Exception {
    FerryConfig config = new FerryConfig(new HostPort(lab.controllerIp(), Lab.CONTROLLER_PORT),
        new HostPort("127.0.0.1", 0), dataDir, TOKEN, Duration.ofSeconds(1), Duration.ofSeconds(3));
    try (Ferry ferry = new Ferry(config).start()) {
      FerryApi api = new FerryApi("http://127.0.0.1:" + ferry.restPort(), TOKEN);
      LabHost h1 = lab.addHost("h1");
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (api.get("/v1/switches").size() < 1) {
        assertTrue(System.nanoTime() < deadline, "h1's bridge never connected");
        Thread.sleep(20);
      }
      for (int i = 0; i < 10; i++) {
        JsonNode created = api.post("/v1/hosts", Map.of("name", "h1", "datapath_id", h1.datapathIdHex(),
            "tunnel_ip", h1.tunnelIp()));
        assertTrue(created.get("connected").asBoolean(), "try " + i + ": " + created);
        api.delete("/v1/hosts/h1");
      }
    }
  }
}
