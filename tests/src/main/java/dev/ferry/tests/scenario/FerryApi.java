package dev.ferry.tests.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.controller.cli.CtlClient;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Typed shortcuts over Ferry's REST API for scenarios (tests, demo): the same client ferryctl
 * uses, so a scenario does exactly what a user would type.
 */
public final class FerryApi {
  private final String baseUrl;
  private final CtlClient client;
  private final boolean waitForSwitches;

  public FerryApi(String baseUrl, String token) {
    this(baseUrl, new CtlClient(baseUrl, token), false);
  }

  private FerryApi(String baseUrl, CtlClient client, boolean waitForSwitches) {
    this.baseUrl = baseUrl;
    this.client = client;
    this.waitForSwitches = waitForSwitches;
  }

  /**
   * The same API whose writes are answered only once every switch they concern holds them
   * ({@code ?wait=switches}): a scenario can test the dataplane right after a write returns.
   */
  public FerryApi waitingForSwitches() {
    return new FerryApi(baseUrl, client, true);
  }

  /** The same API with another bearer token (a tenant's, a host credential). */
  public FerryApi withToken(String token) {
    return new FerryApi(baseUrl, new CtlClient(baseUrl, token), waitForSwitches);
  }

  /** A request Ferry must refuse: its failure (status, JSON body); an AssertionError if accepted. */
  public CtlClient.ApiFailure refused(String method, String path, Map<String, Object> body) {
    try {
      JsonNode accepted = client.call(method, path, body, null);
      throw new AssertionError(method + " " + path + " " + body + " was accepted: " + accepted);
    } catch (CtlClient.ApiFailure f) {
      return f;
    }
  }

  public JsonNode get(String path) {
    return client.call("GET", path, null, null);
  }

  /**
   * What a Neutron user does to reach a floating IP from the outside: the tenant's default
   * group, which lets in only its own members, gets an ingress rule from anywhere.
   */
  public JsonNode allowIngressFromAnywhere(String tenant) {
    return post("/v1/security_group_rules", Map.of("security_group", "default-" + tenant,
        "direction", "ingress", "remote_ip_prefix", "0.0.0.0/0"));
  }

  public JsonNode post(String path, Map<String, Object> body) {
    return client.call("POST", write(path), body, null);
  }

  public JsonNode patch(String path, Map<String, Object> body) {
    return client.call("PATCH", write(path), body, null);
  }

  public void delete(String path) {
    client.call("DELETE", write(path), null, null);
  }

  private String write(String path) {
    return waitForSwitches ? path + (path.contains("?") ? "&" : "?") + "wait=switches" : path;
  }

  public String createTenant(String name) {
    return post("/v1/tenants", Map.of("name", name)).path("id").asText();
  }

  public String createNetwork(String tenantId, String name, int vni, String cidr) {
    return post("/v1/networks", Map.of("tenant", tenantId, "name", name, "vni", vni, "cidr", cidr))
        .path("id").asText();
  }

  /** A new bearer token for a tenant. */
  public String issueTenantToken(String tenantId) {
    return post("/v1/tenants/" + tenantId + "/tokens", Map.of()).path("token").asText();
  }

  /** An external pool (uplink subnet and one range of it) that floating IPs come from. */
  public void createPool(String name, String cidr, String start, String end) {
    post("/v1/external_pools", Map.of("name", name, "cidr", cidr, "ranges",
        java.util.List.of(Map.of("start", start, "end", end))));
  }

  public void createHost(String name, String datapathIdHex, String tunnelIp) {
    post("/v1/hosts", Map.of("name", name, "datapath_id", datapathIdHex, "tunnel_ip", tunnelIp));
  }

  /** A port of a network, placed on a host's OVS interface; mac/ip null = let Ferry allocate. */
  public JsonNode createPort(String networkId, String name, String mac, String ip, String host,
      String interfaceName) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("network", networkId);
    body.put("name", name);
    if (mac != null) {
      body.put("mac", mac);
    }
    if (ip != null) {
      body.put("ip", ip);
    }
    body.put("host", host);
    body.put("interface", interfaceName);
    return post("/v1/ports", body);
  }
}
