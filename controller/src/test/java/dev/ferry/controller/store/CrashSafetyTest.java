package dev.ferry.controller.store;

import static dev.ferry.controller.testing.Api.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.apps.model.Model;
import dev.ferry.controller.testing.Api;
import dev.ferry.controller.testing.ControllerProcess;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real controller in a child JVM, written to in a loop and killed with kill -9 a few
 * times: every write that was answered 2xx is there afterwards, and the store opens cleanly.
 */
class CrashSafetyTest {

  private static final String TOKEN = "crash-admin";
  private static final int KILLS = 4;

  @TempDir
  Path dir;

  @Test
  void acknowledgedWritesSurviveKillMinus9() throws Exception {
    Path data = dir.resolve("data");
    ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
    try (ControllerProcess controller = new ControllerProcess(data, TOKEN)) {
      controller.start();
      Api api = new Api(controller.url(), TOKEN);
      assertEquals(201, api.post("/v1/tenants", obj("id", "t", "name", "T")).status());
      String net = api.post("/v1/networks", obj("tenant", "t", "cidr", "10.0.0.0/16")).text("id");
      for (int round = 0; round < KILLS; round++) {
        writeWhileKilling(controller, api, net, acknowledged);
        controller.start();
        assertAllPresent(api, acknowledged);
      }
    }
    assertTrue(acknowledged.size() > KILLS * 10, "the loop wrote something: " + acknowledged.size());
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("ferry.db"));
        var rs = c.createStatement().executeQuery("PRAGMA integrity_check")) {
      rs.next();
      assertEquals("ok", rs.getString(1));
    }
    try (SqliteStore reopened = SqliteStore.open(data)) {
      Model m = reopened.snapshot();
      for (String id : acknowledged) {
        assertTrue(m.ports().containsKey(id), "acknowledged port " + id + " lost");
      }
    }
  }

  /** Writes ports from two threads until the controller is killed mid-stream. */
  private static void writeWhileKilling(ControllerProcess controller, Api api, String net,
      ConcurrentLinkedQueue<String> acknowledged) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> writers = List.of(writer(api, net, acknowledged, stop), writer(api, net, acknowledged, stop));
    writers.forEach(Thread::start);
    Thread.sleep(700 + (long) (Math.random() * 800));
    controller.kill();
    stop.set(true);
    for (Thread t : writers) {
      t.join();
    }
  }

  private static Thread writer(Api api, String net, ConcurrentLinkedQueue<String> acknowledged, AtomicBoolean stop) {
    return new Thread(() -> {
      while (!stop.get()) {
        try {
          Api.Response r = api.post("/v1/ports", obj("network", net));
          if (r.status() / 100 == 2) {
            acknowledged.add(r.text("id"));
          }
        } catch (RuntimeException connectionLost) {
          // The request was cut off by the kill: it never got a 2xx, so nothing is promised.
        }
      }
    });
  }

  private static void assertAllPresent(Api api, ConcurrentLinkedQueue<String> acknowledged) {
    Api.Response list = api.get("/v1/ports");
    assertEquals(200, list.status());
    java.util.Set<String> present = new java.util.HashSet<>();
    list.body().forEach(p -> present.add(p.get("id").asText()));
    for (String id : acknowledged) {
      assertTrue(present.contains(id), "acknowledged port " + id + " lost after kill -9");
    }
  }
}
