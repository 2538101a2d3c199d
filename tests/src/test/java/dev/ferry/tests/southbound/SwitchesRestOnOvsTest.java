package dev.ferry.tests.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.controller.Ferry;
import dev.ferry.controller.FerryConfig;
import dev.ferry.controller.HostPort;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabContainer;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /v1/switches on the full controller with two real OVS hosts: the switches and their ports
 * as OVS itself describes them (ovs-ofctl dump-ports-desc), kept current by port-status when
 * ports come and go, and the flows a switch holds as readable text.
 */
@ExtendWith(LabExtension.class)
class SwitchesRestOnOvsTest {
  private static final String TOKEN = "test-admin-token";
  private static final Duration SOON = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private String base;

  @Test
  void switchesPortsAndFlowsFollowTheRealSwitches(Lab lab, @TempDir Path dataDir) throws Exception {
    FerryConfig config = new FerryConfig(new HostPort(lab.controllerIp(), Lab.CONTROLLER_PORT),
        new HostPort("127.0.0.1", 0), dataDir, TOKEN, Duration.ofSeconds(1), Duration.ofSeconds(3));
    try (Ferry ferry = new Ferry(config).start()) {
      base = "http://127.0.0.1:" + ferry.restPort();
      List<LabHost> hosts = lab.addHosts("h1", "h2");
      LabHost h1 = hosts.get(0);

      JsonNode all = await("/v1/switches", list -> list.size() == 2);
      for (int i = 0; i < 2; i++) {
        LabHost host = hosts.get(i);
        JsonNode sw = all.get(i);
        assertEquals(dpid(host), sw.get("datapath_id").asText());
        assertTrue(sw.get("remote_address").asText().contains(host.managementIp()), sw.toString());
        assertEquals(OvsPorts.of(host), ports(sw), "ports of " + host.name() + " as OVS has them");
      }
      assertEquals(401, get("/v1/switches", null).statusCode(), "admin token required");

      LabContainer c1 = h1.addContainer("c1", "02:00:00:00:00:c1", "10.0.0.1/24");
      h1.vsctl("add-port", "br-int", "ip1", "--", "set", "interface", "ip1", "type=internal");
      JsonNode grown = await("/v1/switches/" + dpid(h1), sw -> ports(sw).containsKey(c1.ovsPort()) && ports(sw).containsKey("ip1"));
      Map<String, OvsPorts.Port> ovs = OvsPorts.of(h1);
      assertEquals(c1.ofport(), ports(grown).get(c1.ovsPort()).number(), "container port number");
      assertEquals(ovs.get(c1.ovsPort()), ports(grown).get(c1.ovsPort()));
      assertEquals(ovs.get("ip1"), ports(grown).get("ip1"));
      assertEquals("up", ports(grown).get(c1.ovsPort()).state());

      h1.exec("ip", "link", "set", c1.ovsPort(), "down").check();
      JsonNode down = await("/v1/switches/" + dpid(h1), sw -> ports(sw).get(c1.ovsPort()).state().equals("down"));
      assertEquals(OvsPorts.of(h1).get(c1.ovsPort()), ports(down).get(c1.ovsPort()), "link down reported as OVS sees it");

      c1.remove();
      h1.vsctl("del-port", "br-int", "ip1");
      JsonNode shrunk = await("/v1/switches/" + dpid(h1), sw -> !ports(sw).containsKey(c1.ovsPort()) && !ports(sw).containsKey("ip1"));
      assertEquals(OvsPorts.of(h1), ports(shrunk), "deleted ports gone, the rest unchanged");
      assertEquals(2, json(get("/v1/switches", TOKEN)).size(), "both switches still listed");

      h1.addFlow("cookie=0x2,table=50,priority=300,metadata=0x5/0xffffff,dl_dst=02:00:00:00:00:05"
          + " actions=set_field:0x1388->tun_id,set_field:10.128.0.5->tun_dst,output:1");
      h1.addFlow("cookie=0x2,table=0,priority=100,in_port=7 actions=write_metadata:0x5/0xffffff,goto_table:10");
      JsonNode flows = await("/v1/switches/" + dpid(h1) + "/flows", f -> f.get("count").asInt() == h1.dumpFlows().size());
      List<String> lines = text(flows.get("flows"));
      System.out.println("GET /v1/switches/" + dpid(h1) + "/flows -> " + lines);
      assertTrue(lines.stream().anyMatch(l -> l.contains("in_port=7") && l.contains("goto_table")), lines.toString());
      assertTrue(lines.stream().anyMatch(l -> l.contains("tun_dst") && l.contains("10.128.0.5")
          && l.contains("02:00:00:00:00:05")), lines.toString());
      assertEquals(404, get("/v1/switches/00000000000000ff", TOKEN).statusCode(), "unknown dpid");
    }
  }

  private static String dpid(LabHost host) {
    return String.format("%016x", host.datapathId());
  }

  private static Map<String, OvsPorts.Port> ports(JsonNode sw) {
    Map<String, OvsPorts.Port> ports = new TreeMap<>();
    for (JsonNode p : sw.get("ports")) {
      ports.put(p.get("name").asText(), new OvsPorts.Port(p.get("number").asInt(), p.get("name").asText(),
          p.get("mac").asText(), p.get("state").asText()));
    }
    return ports;
  }

  private static List<String> text(JsonNode array) {
    return JSON.convertValue(array, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
  }

  /** Polls an admin GET until its JSON satisfies {@code done}; port-status arrives asynchronously. */
  private JsonNode await(String path, Predicate<JsonNode> done) throws Exception {
    long deadline = System.nanoTime() + SOON.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = get(path, TOKEN);
      if (response.statusCode() == 200) {
        last = json(response);
        if (done.test(last)) {
          return last;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("GET " + path + " never got there within " + SOON + "; last: " + last);
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(SOON).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }
}
