package dev.ferry.controller.cluster;

import static dev.ferry.controller.testing.Api.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.controller.Ferry;
import dev.ferry.controller.FerryConfig;
import dev.ferry.controller.store.EtcdLocation;
import dev.ferry.controller.testing.Api;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two Ferry nodes on one etcd over REST: a write through one is read on the other; no quorum is a 503. */
class EtcdNodesRestTest {

  private static final String TOKEN = "test-admin-token";

  @Test
  void anyNodeAnswersAndLostQuorumIsAClear503(@TempDir Path a, @TempDir Path b) throws Exception {
    try (LocalEtcd etcd = LocalEtcd.start(1)) {
      EtcdLocation location = EtcdLocation.plain(etcd.hostPorts(), "rest");
      try (Ferry one = new Ferry(FerryConfig.forTest(a, TOKEN).withEtcd(location)).start();
          Ferry two = new Ferry(FerryConfig.forTest(b, TOKEN).withEtcd(location)).start()) {
        Api api1 = new Api("http://127.0.0.1:" + one.restPort(), TOKEN);
        Api api2 = new Api("http://127.0.0.1:" + two.restPort(), TOKEN);
        assertEquals(201, api1.post("/v1/tenants", obj("id", "acme", "name", "Acme")).status());
        Api.Response net = api2.post("/v1/networks", obj("tenant", "acme", "name", "n", "cidr", "10.1.0.0/24"));
        assertEquals(201, net.status(), net::toString);
        Api.Response port = api1.post("/v1/ports", obj("network", net.text("id")));
        assertEquals(201, port.status(), port::toString);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (api2.get("/v1/ports/" + port.text("id")).status() != 200 && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        assertEquals(port.body(), api2.get("/v1/ports/" + port.text("id")).body());

        etcd.kill(etcd.members().get(0));
        Api.Response down = api2.post("/v1/tenants", obj("id", "late", "name", "Late"));
        assertEquals(503, down.status(), down::toString);
        assertEquals("store_unavailable", down.text("error"));
        // Reads still come from the node's model.
        assertEquals(200, api2.get("/v1/ports/" + port.text("id")).status());
      }
    }
  }
}
