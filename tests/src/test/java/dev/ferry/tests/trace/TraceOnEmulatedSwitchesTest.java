package dev.ferry.tests.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.controller.cli.CtlClient;
import dev.ferry.controller.cli.FerryCtl;
import dev.ferry.tests.scenario.FerryApi;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trace, named flow dumps and their ferryctl commands against Ferry with emulated switches
 * (no root needed; the same against real OVS and ofproto/trace: TraceLabTest).
 */
class TraceOnEmulatedSwitchesTest {

  @Test
  void traceNamedFlowsAndTheirCommands(@TempDir Path dir) throws Exception {
    try (EmulatedFerry f = new EmulatedFerry(dir)) {
      JsonNode across = f.admin.post("/v1/trace", Map.of("from_port", "b1", "to_port", "b2"));
      assertEquals(TraceLabTest.DELIVERED, across.path("verdict").asText(), across.toString());
      JsonNode forward = null; // the sender's l2_forward hop (security-group tables come before it)
      for (JsonNode hop : across.path("hops")) {
        if (forward == null && hop.path("table").asText().equals("l2_forward")) {
          forward = hop;
        }
      }
      assertTrue(forward != null, across.toString());
      assertEquals("l2", forward.path("owner").path("app").asText());
      assertEquals("b2", forward.path("owner").path("name").asText());
      assertTrue(across.path("hops").get(0).path("flow").asText().contains("in_port=1"), "admin sees ofctl text");

      // a tenant sees its own trace, without infrastructure text, and never the other tenant's port
      FerryApi blue = new FerryApi(f.url(), f.blueToken);
      JsonNode own = blue.post("/v1/trace", Map.of("from_port", "b1", "to_ip", "10.1.1.3"));
      assertEquals(TraceLabTest.DELIVERED, own.path("verdict").asText());
      assertTrue(own.path("hops").get(0).path("flow").isNull(), own.toString());
      var refused = org.junit.jupiter.api.Assertions.assertThrows(CtlClient.ApiFailure.class,
          () -> blue.post("/v1/trace", Map.of("from_port", "g1", "to_ip", "10.1.1.3")));
      assertEquals(404, refused.status);

      // live mode over the emulated switches' tables: same answer, no drift
      JsonNode live = f.admin.post("/v1/trace?live=true", Map.of("from_port", "b1", "to_port", "b2"));
      assertEquals(TraceLabTest.DELIVERED, live.path("verdict").asText(), live.toString());
      assertEquals(0, live.path("drift").size());

      // named flow dumps, filtered
      JsonNode flows = f.admin.get("/v1/switches/0000000000000001/flows?network=blue-net&table=l2_forward");
      assertEquals("h1", flows.path("host").asText());
      assertFalse(flows.path("entries").isEmpty());
      for (JsonNode e : flows.path("entries")) {
        assertEquals("l2_forward", e.path("table").asText());
        assertEquals(100, e.path("vni").asInt());
        assertTrue(e.path("flow").asText().contains("network:blue-net/vni100"), e.toString());
        assertTrue(e.has("packets") && e.has("bytes"), e.toString());
      }
      JsonNode byPort = f.admin.get("/v1/switches/0000000000000001/flows?port=g1");
      assertTrue(byPort.path("entries").size() >= 2, byPort.toString());
      byPort.path("entries").forEach(e -> assertTrue(e.path("flow").asText().contains("g1"), e.toString()));
      assertNull(f.admin.get("/v1/switches/0000000000000001/flows?tenant=" + f.green)
          .path("entries").findValues("flow").stream()
          .filter(v -> v.asText().contains("blue-net")).findFirst().orElse(null), "tenant filter");

      String trace = ctl(f, "trace", "--from-port", "b1", "--to-port", "b2");
      assertTrue(trace.contains("verdict: " + TraceLabTest.DELIVERED), trace);
      assertTrue(trace.contains("h2:") && trace.contains("l2_forward"), trace);
      String dump = ctl(f, "switch", "flows", "h1", "--port", "b1");
      assertTrue(dump.contains("classify:port=b1"), dump);
      String list = ctl(f, "switch", "list");
      assertTrue(list.contains("h1") && list.contains("h2"), list);
      System.out.println("ferryctl trace --from-port b1 --to-port b2\n" + trace);
    }
  }

  private static String ctl(EmulatedFerry f, String... args) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      String[] all = new String[args.length + 4];
      all[0] = "--url";
      all[1] = f.url();
      all[2] = "--token";
      all[3] = EmulatedFerry.ADMIN_TOKEN;
      System.arraycopy(args, 0, all, 4, args.length);
      int code = FerryCtl.run(Map.of(), all);
      assertEquals(0, code, buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }
}
