package dev.ferry.controller.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Pure: the spec's success and error documents. */
public final class CniResult {
  private CniResult() {}

  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * ADD's result: the host veth (no sandbox) and the container interface, the port's address on
   * the latter, the default route via the network's gateway, the network's DNS servers.
   *
   * @param hostMac null when it could not be read (the field is optional)
   */
  public static ObjectNode add(CniConfig config, String hostLink, String hostMac, String ifname, String netns,
      JsonNode port, JsonNode network) {
    ObjectNode r = JSON.createObjectNode();
    r.put("cniVersion", config.cniVersion());
    ArrayNode interfaces = r.putArray("interfaces");
    ObjectNode host = interfaces.addObject().put("name", hostLink);
    if (hostMac != null) {
      host.put("mac", hostMac);
    }
    interfaces.addObject().put("name", ifname).put("mac", port.path("mac").asText()).put("sandbox", netns);
    String cidr = network.path("cidr").asText();
    String gateway = network.path("gateway_ip").asText(null);
    ObjectNode ip = r.putArray("ips").addObject();
    if (config.legacyResult()) {
      ip.put("version", "4");
    }
    ip.put("address", port.path("ip").asText() + cidr.substring(cidr.indexOf('/')));
    if (gateway != null && !gateway.isEmpty()) {
      ip.put("gateway", gateway);
    }
    ip.put("interface", 1);
    ArrayNode routes = r.putArray("routes");
    if (gateway != null && !gateway.isEmpty()) {
      routes.addObject().put("dst", "0.0.0.0/0").put("gw", gateway);
    }
    ObjectNode dns = r.putObject("dns");
    JsonNode servers = network.path("dns_servers");
    if (servers.isArray() && servers.size() > 0) {
      dns.set("nameservers", servers.deepCopy());
    }
    return r;
  }

  public static ObjectNode version(String cniVersion) {
    ObjectNode r = JSON.createObjectNode().put("cniVersion", cniVersion);
    ArrayNode supported = r.putArray("supportedVersions");
    CniConfig.SUPPORTED.forEach(supported::add);
    return r;
  }

  public static ObjectNode error(String cniVersion, CniError e) {
    ObjectNode r = JSON.createObjectNode().put("cniVersion", cniVersion).put("code", e.code)
        .put("msg", e.getMessage());
    if (e.details != null) {
      r.put("details", e.details);
    }
    return r;
  }
}
