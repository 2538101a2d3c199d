package dev.ferry.controller.trace;

import static dev.ferry.controller.testing.Api.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.controller.testing.Api;
import dev.ferry.controller.testing.FerryTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * POST /v1/trace without switches: what it refuses and how (the walks themselves run against
 * switches: TraceOnEmulatedSwitchesTest, TraceLabTest).
 */
class TraceApiTest extends FerryTestBase {
  Api a;
  String netA;
  String netB;

  @BeforeEach
  void model() {
    createTenant("a");
    createTenant("b");
    createHost("host-1", "0000000000000001", "192.168.7.1");
    netA = createNetwork("a", "10.1.1.0/24");
    netB = createNetwork("b", "10.1.1.0/24");
    created(createPort(netA, "name", "a1", "host", "host-1", "interface", "veth-a1"));
    created(createPort(netB, "name", "b1", "host", "host-1", "interface", "veth-b1"));
    a = admin.withToken(created(admin.post("/v1/tenants/a/tokens", obj())).text("token"));
  }

  @Test
  void badInputNamesTheField() {
    assertRejected(422, "invalid_value", "to_ip",
        () -> admin.post("/v1/trace", obj("from_port", "a1", "to_ip", "10.1.1")));
    assertRejected(422, "invalid_value", "protocol",
        () -> admin.post("/v1/trace", obj("from_port", "a1", "to_ip", "10.1.1.3", "protocol", "sctp")));
    assertRejected(422, "invalid_value", "from_port",
        () -> admin.post("/v1/trace", obj("to_ip", "10.1.1.3")));
    assertRejected(400, "unknown_field", "form_port",
        () -> admin.post("/v1/trace", obj("form_port", "a1", "to_ip", "10.1.1.3")));
    assertRejected(400, "invalid_value", "live",
        () -> admin.post("/v1/trace?live=yes", obj("from_port", "a1", "to_ip", "10.1.1.3")));
  }

  @Test
  void anUnboundPortSaysWhy() {
    Api.Response r = assertRejected(422, "invalid_value", "from_port",
        () -> admin.post("/v1/trace", obj("from_port", "a1", "to_ip", "10.1.1.3")));
    assertTrue(r.text("message").contains("host-1 is not connected"), r.toString());
  }

  @Test
  void aTenantCannotTraceFromOrToAnotherTenantsPort() {
    Api.Response from = assertRejected(404, "not_found", "from_port",
        () -> a.post("/v1/trace", obj("from_port", "b1", "to_ip", "10.1.1.3")));
    Api.Response absent = assertRejected(404, "not_found", "from_port",
        () -> a.post("/v1/trace", obj("from_port", "zz", "to_ip", "10.1.1.3")));
    assertEquals(absent.text("message").replace("zz", "b1"), from.text("message"));
    assertRejected(404, "not_found", "to_port",
        () -> a.post("/v1/trace", obj("from_port", "a1", "to_port", "b1")));
  }

  @Test
  void namedFlowDumpsAreAdminOnly() {
    assertEquals(403, a.get("/v1/switches/0000000000000001/flows?network=net").status());
  }
}
