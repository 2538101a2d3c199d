package dev.ferry.controller.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.apps.model.Tenant;
import dev.ferry.controller.store.Resource;
import dev.ferry.controller.store.SqliteStore;
import dev.ferry.southbound.SwitchRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's model as views built on it read it (trace): with the caller's own writes in it. */
class EngineModelTest {

  @Test
  void modelAtLeastReturnsAModelWithTheWriteOnceTheEngineTookItAndTheNewestOneAfterTheTimeout(
      @TempDir Path dir) throws Exception {
    try (SqliteStore store = SqliteStore.open(dir); Engine engine = new Engine(store, new SwitchRegistry())) {
      engine.start();
      store.create(Resource.TENANTS, new Tenant(null, "t", 0));
      long written = store.snapshot().version();
      // the engine takes the change on its own thread, after the write returned
      assertTrue(engine.modelAtLeast(written, Duration.ofSeconds(10)).version() >= written);
      assertTrue(engine.modelAtLeast(written, Duration.ofSeconds(10)).tenants().values().stream()
          .anyMatch(t -> t.name().equals("t")));
      long start = System.nanoTime();
      assertEquals(engine.model().version(), engine.modelAtLeast(written + 1, Duration.ofMillis(50)).version(),
          "no such version yet: the newest model after the timeout");
      assertTrue(System.nanoTime() - start >= Duration.ofMillis(50).toNanos(), "it waited for the timeout");
    }
  }
}
