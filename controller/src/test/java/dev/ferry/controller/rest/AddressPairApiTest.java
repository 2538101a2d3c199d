package dev.ferry.controller.rest;

import static dev.ferry.controller.testing.Api.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.controller.testing.Api;
import dev.ferry.controller.testing.FerryTestBase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** allowed_address_pairs on /v1/ports: stored normalized, each bad pair refused by its field, nothing written. */
class AddressPairApiTest extends FerryTestBase {

  private Api acme;
  private String net;
  private String port;

  @BeforeEach
  void network() {
    createTenant("acme");
    createTenant("globex");
    net = createNetwork("acme", "10.0.0.0/24");
    createNetwork("globex", "10.0.1.0/24");
    acme = admin.withToken(created(admin.post("/v1/tenants/acme/tokens", obj())).text("token"));
    port = created(acme.post("/v1/ports", obj("network", net, "ip", "10.0.0.10", "mac", "02:00:00:00:00:10"))).text("id");
  }

  private static Map<String, Object> pair(String ip) {
    return Map.of("ip_address", ip);
  }

  private static Map<String, Object> pair(String ip, String mac) {
    return Map.of("ip_address", ip, "mac_address", mac);
  }

  private Api.Response withPairs(Object... pairs) {
    return acme.patch("/v1/ports/" + port, obj("allowed_address_pairs", List.of(pairs)));
  }

  @Test
  void pairsAreStoredNormalizedShownWithTheirMacAndKeptUntilReplaced() {
    Api.Response none = acme.get("/v1/ports/" + port);
    assertEquals(0, none.body().get("allowed_address_pairs").size(), "none by default");
    Api.Response r = withPairs(pair("10.0.0.50"), pair("10.0.0.64/28"), pair("10.0.0.51/32", "02:00:5E:00:01:07"));
    assertEquals(200, r.status(), r::toString);
    JsonNode pairs = r.body().get("allowed_address_pairs");
    assertEquals(3, pairs.size(), r::toString);
    assertEquals("10.0.0.50", pairs.get(0).get("ip_address").asText());
    assertEquals("02:00:00:00:00:10", pairs.get(0).get("mac_address").asText(), "the port's MAC when none is given");
    assertEquals("10.0.0.64/28", pairs.get(1).get("ip_address").asText());
    assertEquals("10.0.0.51", pairs.get(2).get("ip_address").asText(), "a /32 is the bare address");
    assertEquals("02:00:5e:00:01:07", pairs.get(2).get("mac_address").asText());
    // PATCH of another field and PUT without the field keep them; an empty list clears them
    assertEquals(3, acme.patch("/v1/ports/" + port, obj("name", "vrrp-a")).body().get("allowed_address_pairs").size());
    Api.Response put = admin.put("/v1/ports/" + port, obj("network", net, "ip", "10.0.0.10"), null);
    assertEquals(200, put.status(), put::toString);
    assertEquals(3, put.body().get("allowed_address_pairs").size(), put::toString);
    // the VIP may be a pair of a second port too (keepalived's backup), and is never allocated
    String other = created(acme.post("/v1/ports", obj("network", net,
        "allowed_address_pairs", List.of(pair("10.0.0.50"))))).text("id");
    assertEquals("10.0.0.50", acme.get("/v1/ports/" + other).body().at("/allowed_address_pairs/0/ip_address").asText());
    for (int i = 0; i < 60; i++) {
      String ip = created(acme.post("/v1/ports", obj("network", net))).text("ip");
      assertTrue(!ip.equals("10.0.0.50") && !ip.equals("10.0.0.51"), "allocated a pair's address: " + ip);
    }
    assertEquals(0, withPairs().body().get("allowed_address_pairs").size());
  }

  @Test
  void badPairsNameTheirFieldAndChangeNothing() {
    withPairs(pair("10.0.0.60", "02:00:00:00:aa:01"));
    String second = created(acme.post("/v1/ports", obj("network", net, "mac", "02:00:00:00:00:20"))).text("id");
    String f0 = "allowed_address_pairs[0].ip_address";
    assertRejected(422, "invalid_value", f0, () -> withPairs(pair("10.0.1.50")));
    assertRejected(422, "invalid_value", f0, () -> withPairs(pair("10.0.0.0/16")));
    assertRejected(422, "invalid_value", f0, () -> withPairs(pair("10.0.0.1")));
    assertRejected(422, "invalid_value", f0, () -> withPairs(pair("10.0.0.0/28")));
    assertRejected(422, "invalid_value", f0, () -> withPairs(pair("10.0.0.255")));
    assertRejected(422, "invalid_value", f0, () -> withPairs(pair("10.0.0.240/28")));
    assertRejected(422, "invalid_value", f0, () -> withPairs(pair("10.0.0.65/28")));
    assertRejected(422, "invalid_value", f0, () -> withPairs(pair("10.0.0.x")));
    assertRejected(422, "invalid_value", f0, () -> withPairs(pair("10.0.0.10")));
    assertRejected(422, "invalid_value", f0, () -> withPairs(Map.of("mac_address", "02:00:00:00:00:33")));
    assertRejected(422, "invalid_value", "allowed_address_pairs[1].ip_address",
        () -> withPairs(pair("10.0.0.50"), pair("10.0.1.50")));
    assertRejected(422, "invalid_value", "allowed_address_pairs[1]", () -> withPairs(pair("10.0.0.50"), pair("10.0.0.50/32")));
    String m0 = "allowed_address_pairs[0].mac_address";
    assertRejected(422, "invalid_value", m0, () -> withPairs(pair("10.0.0.50", "01:00:5e:00:00:01")));
    assertRejected(422, "invalid_value", m0, () -> withPairs(pair("10.0.0.50", "02:fe:00:00:00:64")));
    assertRejected(422, "invalid_value", m0, () -> withPairs(pair("10.0.0.50", "nope")));
    assertRejected(409, "mac_taken", m0, () -> acme.patch("/v1/ports/" + second,
        obj("allowed_address_pairs", List.of(pair("10.0.0.61", "02:00:00:00:aa:01")))));
    assertRejected(409, "mac_taken", m0, () -> acme.patch("/v1/ports/" + second,
        obj("allowed_address_pairs", List.of(pair("10.0.0.61", "02:00:00:00:00:10")))));
    assertRejected(409, "mac_taken", "mac", () -> acme.post("/v1/ports", obj("network", net, "mac", "02:00:00:00:aa:01")));
    assertRejected(400, "unknown_field", "allowed_address_pairs[0].ip", () -> withPairs(Map.of("ip", "10.0.0.50")));
    assertRejected(400, "wrong_type", "allowed_address_pairs", () -> acme.patch("/v1/ports/" + port,
        obj("allowed_address_pairs", "10.0.0.50")));
    Object[] eleven = new Object[11];
    for (int i = 0; i < eleven.length; i++) {
      eleven[i] = pair("10.0.0." + (100 + i));
    }
    assertRejected(422, "invalid_value", "allowed_address_pairs", () -> withPairs(eleven));
    // the batch path checks the same
    var before = ferry.store().snapshot();
    Api.Response batch = acme.post("/v1/ports/batch", obj("ports", List.of(obj("network", net,
        "allowed_address_pairs", List.of(pair("10.0.0.1"))))));
    assertEquals(422, batch.status(), batch::toString);
    assertEquals("allowed_address_pairs[0].ip_address", batch.body().at("/errors/0/field").asText(), batch::toString);
    assertEquals(before, ferry.store().snapshot());
  }
}
