package dev.ferry.controller.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.controller.ops.Commands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plugin's pure parts: config and environment parsing, result and error documents, names. */
class CniDocumentsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONFIG = """
      {"cniVersion": "1.0.0", "name": "blue", "type": "ferry", "url": "http://10.0.0.1:8080",
       "tokenFile": "/etc/ferry/cni-token", "network": "blue-net", "ovsdb": "unix:/run/db.sock", "someRuntimeKey": 1}""";

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  @Test
  void configTakesFerryKeysAndDefaultsTheHost() throws Exception {
    CniConfig c = CniConfig.parse(json(CONFIG), "node1");
    assertEquals("blue-net", c.network());
    assertEquals("node1", c.host());
    assertEquals("unix:/run/db.sock", c.ovsdb());
    assertEquals(0, c.mtu());
    assertEquals(null, c.prevResult());
  }

  @Test
  void badConfigsNameTheFieldWithTheSpecsCode() throws Exception {
    assertEquals(CniError.INVALID_CONFIG, codeOf(CONFIG.replace("\"network\": \"blue-net\",", "")));
    assertEquals(CniError.INVALID_CONFIG, codeOf(CONFIG.replace("http://10.0.0.1:8080", "10.0.0.1:8080")));
    assertEquals(CniError.INCOMPATIBLE_VERSION, codeOf(CONFIG.replace("1.0.0", "0.2.0")));
    assertEquals(CniError.UNSUPPORTED_FIELD, codeOf(CONFIG.replace("\"someRuntimeKey\": 1", "\"ipam\": {\"type\": \"host-local\"}")));
    assertEquals(CniError.INVALID_CONFIG, codeOf(CONFIG.replace("\"someRuntimeKey\": 1", "\"mtu\": 40")));
    assertEquals(CniError.INVALID_CONFIG, codeOf(CONFIG.replace("\"blue-net\"", "7")));
  }

  private static int codeOf(String config) throws Exception {
    JsonNode doc = json(config);
    return assertThrows(CniError.class, () -> CniConfig.parse(doc, "h")).code;
  }

  @Test
  void environmentNeedsContainerAndInterfaceAndNamesThePodsPort() {
    CniRequest r = CniRequest.from(Map.of("CNI_COMMAND", "ADD", "CNI_CONTAINERID", "abc", "CNI_IFNAME", "eth0",
        "CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-0"));
    assertEquals("shop/web-0", r.portName());
    assertEquals(CniError.INVALID_ENVIRONMENT, assertThrows(CniError.class, () -> r.require(true)).code);
    r.require(false); // DEL: the netns may be gone
    assertEquals("abc:net1", CniRequest.from(Map.of("CNI_COMMAND", "ADD", "CNI_CONTAINERID", "abc", "CNI_IFNAME", "net1"))
        .portName());
    assertThrows(CniError.class, () -> CniRequest.from(Map.of("CNI_COMMAND", "DEL", "CNI_CONTAINERID", "a",
        "CNI_IFNAME", "an-interface-name-too-long")).require(false));
    assertThrows(CniError.class, () -> CniRequest.from(Map.of()));
  }

  @Test
  void attachmentNamesAreStableShortAndDistinct() {
    CniAttachment a = CniAttachment.of("blue-net", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "eth0");
    assertEquals(a, CniAttachment.of("blue-net", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "eth0"));
    assertTrue(a.hostLink().length() <= 15 && a.peerLink().length() <= 15, a.toString());
    assertTrue(a.hostLink().matches("fy[0-9a-f]{10}"), a.hostLink());
    assertNotEquals(a, CniAttachment.of("blue-net", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "net1"));
    assertNotEquals(a, CniAttachment.of("red-net", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "eth0"));
  }

  @Test
  void addResultHasHostAndPodInterfacesTheAddressRouteAndDns() throws Exception {
    JsonNode port = json("{\"mac\": \"fa:16:3e:00:00:05\", \"ip\": \"10.0.0.5\"}");
    JsonNode net = json("{\"cidr\": \"10.0.0.0/24\", \"gateway_ip\": \"10.0.0.1\", \"dns_servers\": [\"10.0.0.53\"]}");
    JsonNode r = CniResult.add(CniConfig.parse(json(CONFIG), "h"), "fyabc", "aa:bb:cc:dd:ee:ff", "eth0",
        "/run/netns/p", port, net);
    assertEquals(json("""
        {"cniVersion": "1.0.0",
         "interfaces": [{"name": "fyabc", "mac": "aa:bb:cc:dd:ee:ff"},
                        {"name": "eth0", "mac": "fa:16:3e:00:00:05", "sandbox": "/run/netns/p"}],
         "ips": [{"address": "10.0.0.5/24", "gateway": "10.0.0.1", "interface": 1}],
         "routes": [{"dst": "0.0.0.0/0", "gw": "10.0.0.1"}],
         "dns": {"nameservers": ["10.0.0.53"]}}"""), r);
    JsonNode legacy = CniResult.add(CniConfig.parse(json(CONFIG.replace("1.0.0", "0.4.0")), "h"), "fyabc", null, "eth0",
        "/run/netns/p", port, net);
    assertEquals("4", legacy.path("ips").get(0).path("version").asText());
    assertTrue(legacy.path("interfaces").get(0).path("mac").isMissingNode());
  }

  @Test
  void errorsAreTheSpecsErrorDocumentOnStdoutWithNonZeroExit() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Commands none = command -> {
      throw new AssertionError("a bad config ran " + command);
    };
    int rc = CniMain.run(Map.of("CNI_COMMAND", "ADD", "CNI_CONTAINERID", "a", "CNI_NETNS", "/proc/self/ns/net",
        "CNI_IFNAME", "eth0"), "{\"cniVersion\": \"0.4.0\", \"name\": \"x\", \"type\": \"ferry\"}".getBytes(StandardCharsets.UTF_8),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), none);
    assertNotEquals(0, rc);
    JsonNode e = json(out.toString(StandardCharsets.UTF_8));
    assertEquals("0.4.0", e.path("cniVersion").asText());
    assertEquals(CniError.INVALID_CONFIG, e.path("code").asInt());
    assertTrue(e.path("msg").asText().contains("url"), e.toString());

    out.reset();
    assertEquals(0, CniMain.run(Map.of("CNI_COMMAND", "VERSION"), new byte[0], new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), none));
    assertEquals(List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"),
        JSON.convertValue(json(out.toString(StandardCharsets.UTF_8)).path("supportedVersions"), List.class));
  }
}
