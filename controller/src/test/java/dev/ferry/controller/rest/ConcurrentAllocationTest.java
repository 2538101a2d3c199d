package dev.ferry.controller.rest;

import static dev.ferry.controller.testing.Api.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.controller.testing.Api;
import dev.ferry.controller.testing.FerryTestBase;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** 8 clients create 500 ports each in one /16: every address and MAC handed out once, no 5xx. */
class ConcurrentAllocationTest extends FerryTestBase {

  private static final int CLIENTS = 8;
  private static final int PER_CLIENT = 500;

  @Test
  void parallelCreatesNeverShareAnAddress() throws Exception {
    createTenant("acme");
    String net = createNetwork("acme", "10.20.0.0/16");
    ConcurrentLinkedQueue<Api.Response> responses = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    List<Future<?>> done = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      done.add(pool.submit(() -> {
        for (int i = 0; i < PER_CLIENT; i++) {
          responses.add(admin.post("/v1/ports", obj("network", net)));
        }
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();

    Set<String> ips = new HashSet<>();
    Set<String> macs = new HashSet<>();
    for (Api.Response r : responses) {
      assertEquals(201, r.status(), r::toString);
      assertTrue(ips.add(r.text("ip")), "duplicate ip " + r.text("ip"));
      assertTrue(macs.add(r.text("mac")), "duplicate mac " + r.text("mac"));
    }
    assertEquals(CLIENTS * PER_CLIENT, ips.size());
    assertTrue(!ips.contains("10.20.0.0") && !ips.contains("10.20.0.1") && !ips.contains("10.20.255.255"));
    assertEquals(CLIENTS * PER_CLIENT, admin.get("/v1/ports?network=" + net).body().size());
  }
}
