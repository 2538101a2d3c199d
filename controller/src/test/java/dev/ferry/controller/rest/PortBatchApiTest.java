package dev.ferry.controller.rest;

import static dev.ferry.controller.testing.Api.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.apps.model.Model;
import dev.ferry.controller.testing.Api;
import dev.ferry.controller.testing.FerryTestBase;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /v1/ports/batch: many ports in one transaction, all or nothing. */
class PortBatchApiTest extends FerryTestBase {

  private String net;

  @BeforeEach
  void network() {
    createTenant("acme");
    createHost("h1", "0000000000000001", "192.0.2.1");
    net = createNetwork("acme", "10.0.0.0/24");
  }

  @Test
  void createsEveryPortInOneGoEachWithItsOwnAllocationAndVersion() {
    long before = ferry.store().version();
    Api.Response r = admin.post("/v1/ports/batch", obj("ports", List.of(
        obj("network", net, "name", "a", "host", "h1", "interface", "veth-a"),
        obj("network", net, "name", "b"),
        obj("network", net, "name", "c", "ip", "10.0.0.50"))));
    assertEquals(201, r.status(), r::toString);
    JsonNode ports = r.body().get("ports");
    assertEquals(3, ports.size());
    assertEquals("10.0.0.2", ports.get(0).get("ip").asText());
    assertEquals("10.0.0.3", ports.get(1).get("ip").asText(), "the second item's allocation saw the first");
    assertEquals("10.0.0.50", ports.get(2).get("ip").asText());
    assertEquals(before + 3, ferry.store().version(), "one model version per port");
    assertEquals(Long.toString(before + 3), r.header("Ferry-Version"));
    assertEquals(3, admin.get("/v1/ports").body().size());
  }

  @Test
  void aTenantsBatchMayNotPlacePortsNorChooseIds() {
    Api tenant = admin.withToken(created(admin.post("/v1/tenants/acme/tokens", obj())).text("token"));
    Model model = ferry.store().snapshot();
    Api.Response r = tenant.post("/v1/ports/batch", obj("ports", List.of(
        obj("network", net, "name", "fine"),
        obj("network", net, "name", "placed", "host", "h1", "interface", "veth-x"),
        obj("network", net, "id", "chosen"))));
    assertEquals(403, r.status(), r::toString);
    JsonNode errors = r.body().get("errors");
    assertEquals(List.of(1, 2), indexes(errors), r::toString);
    assertEquals("host", errors.get(0).get("field").asText());
    assertEquals(model, ferry.store().snapshot(), "nothing written");
  }

  @Test
  void oneBadItemRefusesTheWholeBatchAndNamesEveryBadItemByIndexAndField() {
    Model model = ferry.store().snapshot();
    Api.Response r = admin.post("/v1/ports/batch", obj("ports", List.of(
        obj("network", net, "name", "fine", "ip", "10.0.0.7"),
        obj("network", net, "name", "outside", "ip", "10.9.9.9"),
        obj("network", net, "name", "dup", "ip", "10.0.0.7"),
        obj("network", net, "name", "typo", "colour", "red"),
        obj("network", "nosuch"))));
    assertEquals(422, r.status(), r::toString);
    assertEquals("batch_rejected", r.text("error"));
    JsonNode errors = r.body().get("errors");
    assertEquals(List.of(1, 2, 3, 4), indexes(errors), r::toString);
    assertEquals("ip", errors.get(0).get("field").asText());
    assertEquals("ip_taken", errors.get(1).get("error").asText());
    assertEquals("colour", errors.get(2).get("field").asText());
    assertEquals("unknown_reference", errors.get(3).get("error").asText());
    assertEquals(model, ferry.store().snapshot(), "nothing was created");
    assertEquals(0, admin.get("/v1/ports").body().size());
    Api.Response again = created(createPort(net, "ip", "10.0.0.7"));
    assertEquals("10.0.0.7", again.text("ip"), "the refused batch's address is free");
  }

  @Test
  void aTenantNamingAnotherTenantsNetworkGetsTheSameRefusalAsForNoNetwork() {
    createTenant("other");
    String token = admin.post("/v1/tenants/other/tokens", obj()).text("token");
    Api.Response r = admin.withToken(token).post("/v1/ports/batch", obj("ports", List.of(obj("network", net))));
    assertEquals(422, r.status(), r::toString);
    assertEquals("unknown_reference", r.body().get("errors").get(0).get("error").asText());
  }

  private static List<Integer> indexes(JsonNode errors) {
    List<Integer> out = new java.util.ArrayList<>();
    errors.forEach(e -> out.add(e.get("index").asInt()));
    return out;
  }
}
