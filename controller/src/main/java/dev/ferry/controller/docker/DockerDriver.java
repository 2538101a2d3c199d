package dev.ferry.controller.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.controller.cli.CtlClient;
import dev.ferry.controller.ops.AttachPlan;
import dev.ferry.controller.ops.Commands;
import dev.ferry.controller.ops.HostSetupSpec;
import dev.ferry.controller.ops.OpsNames;
import dev.ferry.controller.ops.PortLookup;
import dev.ferry.controller.ops.Vsctl;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The libnetwork remote network driver and IPAM driver, mapped to Ferry: a Docker network is a
 * Ferry network (--opt ferry.network= and --ipam-opt ferry.network=), an address Docker's IPAM
 * asks for is a new Ferry port (Ferry allocates the IP), CreateEndpoint names that port after
 * the endpoint and hands Docker its MAC, Join makes the veth pair and binds the port to this
 * host and the host end on br-int; Docker moves the peer into the container and addresses it.
 * Leave, ReleaseAddress undo. Requests and replies are the protocol's JSON documents.
 */
public final class DockerDriver {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String GENERIC = "com.docker.network.generic";
  static final String OPTION = "ferry.network";
  static final String GATEWAY_REQUEST = "com.docker.network.gateway";

  /** A refusal Docker shows the user: {"Err": message}. */
  public static final class DriverError extends RuntimeException {
    DriverError(String message) {
      super(message);
    }
  }

  private final CtlClient api;
  private final Commands sh;
  private final Vsctl vsctl;
  private final String host;
  private final DockerNetworks networks;

  DockerDriver(CtlClient api, Commands sh, Vsctl vsctl, String host, DockerNetworks networks) {
    this.api = api;
    this.sh = sh;
    this.vsctl = vsctl;
    this.host = host;
    this.networks = networks;
  }

  public ObjectNode handle(String call, JsonNode req) {
    try {
      return switch (call) {
        case "Plugin.Activate" -> {
          ObjectNode r = obj();
          r.putArray("Implements").add("NetworkDriver").add("IpamDriver");
          yield r;
        }
        case "NetworkDriver.GetCapabilities" -> obj().put("Scope", "local").put("ConnectivityScope", "global");
        case "NetworkDriver.CreateNetwork" -> createNetwork(req);
        case "NetworkDriver.DeleteNetwork" -> {
          networks.remove(text(req, "NetworkID"));
          yield obj();
        }
        case "NetworkDriver.CreateEndpoint" -> createEndpoint(req);
        case "NetworkDriver.EndpointOperInfo" -> {
          ObjectNode r = obj();
          r.putObject("Value");
          yield r;
        }
        case "NetworkDriver.DeleteEndpoint" -> {
          removeHostSide(ferryNetwork(req), text(req, "EndpointID"));
          yield obj();
        }
        case "NetworkDriver.Join" -> join(req);
        case "NetworkDriver.Leave" -> leave(req);
        case "NetworkDriver.DiscoverNew", "NetworkDriver.DiscoverDelete", "NetworkDriver.ProgramExternalConnectivity",
            "NetworkDriver.RevokeExternalConnectivity", "IpamDriver.ReleasePool" -> obj();
        case "IpamDriver.GetCapabilities" -> obj().put("RequiresMACAddress", false);
        case "IpamDriver.GetDefaultAddressSpaces" -> obj().put("LocalDefaultAddressSpace", "ferry")
            .put("GlobalDefaultAddressSpace", "ferry");
        case "IpamDriver.RequestPool" -> requestPool(req);
        case "IpamDriver.RequestAddress" -> requestAddress(req);
        case "IpamDriver.ReleaseAddress" -> releaseAddress(req);
        default -> throw new DriverError("ferry: " + call + " is not implemented");
      };
    } catch (CtlClient.ApiFailure f) {
      throw new DriverError("ferry refused (HTTP " + f.status + "): " + f.getMessage());
    } catch (CtlClient.Unreachable | IllegalArgumentException | IllegalStateException e) {
      throw new DriverError("ferry: " + e.getMessage());
    }
  }

  private ObjectNode createNetwork(JsonNode req) {
    String ref = req.path("Options").path(GENERIC).path(OPTION).asText("");
    if (ref.isEmpty()) {
      throw new DriverError("ferry: name the Ferry network: docker network create -d ferry --opt ferry.network=NAME"
          + " --ipam-driver ferry --ipam-opt ferry.network=NAME ...");
    }
    JsonNode net = PortLookup.network(api, ref);
    for (JsonNode v4 : req.path("IPv4Data")) {
      String pool = v4.path("Pool").asText("");
      if (!pool.isEmpty() && !pool.equals(net.path("cidr").asText())) {
        throw new DriverError("ferry: pool " + pool + " is not network " + ref + "'s " + net.path("cidr").asText()
            + "; use --ipam-driver ferry --ipam-opt ferry.network=" + ref);
      }
    }
    if (req.path("IPv6Data").size() > 0) {
      throw new DriverError("ferry: IPv6 is not supported");
    }
    networks.put(text(req, "NetworkID"), net.path("id").asText());
    return obj();
  }

  private ObjectNode requestPool(JsonNode req) {
    if (req.path("V6").asBoolean()) {
      throw new DriverError("ferry: IPv6 is not supported");
    }
    String ref = req.path("Options").path(OPTION).asText("");
    if (ref.isEmpty()) {
      throw new DriverError("ferry: --ipam-opt ferry.network=NAME is required");
    }
    JsonNode net = PortLookup.network(api, ref);
    String pool = req.path("Pool").asText("");
    if (!pool.isEmpty() && !pool.equals(net.path("cidr").asText())) {
      throw new DriverError("ferry: --subnet " + pool + " is not network " + ref + "'s " + net.path("cidr").asText());
    }
    ObjectNode r = obj().put("PoolID", net.path("id").asText()).put("Pool", net.path("cidr").asText());
    r.putObject("Data");
    return r;
  }

  private ObjectNode requestAddress(JsonNode req) {
    JsonNode net = network(text(req, "PoolID"));
    String prefix = net.path("cidr").asText().replaceAll(".*/", "/");
    String wanted = req.path("Address").asText("");
    if (GATEWAY_REQUEST.equals(req.path("Options").path("RequestAddressType").asText())) {
      String gw = net.path("gateway_ip").asText();
      if (!wanted.isEmpty() && !wanted.equals(gw)) {
        throw new DriverError("ferry: the gateway is " + gw + ", not " + wanted);
      }
      ObjectNode r = obj().put("Address", gw + prefix);
      r.putObject("Data");
      return r;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("network", net.path("id").asText());
    body.put("name", "docker");
    // Placed on this host from the start: a host credential creates ports on its own host only.
    body.put("host", host);
    if (!wanted.isEmpty()) {
      body.put("ip", wanted);
    }
    JsonNode port = api.call("POST", "/v1/ports", body, null);
    ObjectNode r = obj().put("Address", port.path("ip").asText() + prefix);
    r.putObject("Data");
    return r;
  }

  private ObjectNode releaseAddress(JsonNode req) {
    JsonNode net = network(text(req, "PoolID"));
    String ip = text(req, "Address").replaceAll("/.*", "");
    portByIp(net.path("id").asText(), ip).ifPresent(p -> {
      try {
        api.call("DELETE", "/v1/ports/" + p.path("id").asText(), null, null);
      } catch (CtlClient.ApiFailure f) {
        if (f.status != 404) { // 404: already gone, which is what release wants
          throw f;
        }
      }
    });
    return obj();
  }

  private ObjectNode createEndpoint(JsonNode req) {
    String netId = ferryNetwork(req);
    String endpoint = text(req, "EndpointID");
    JsonNode itf = req.path("Interface");
    String ip = itf.path("Address").asText("").replaceAll("/.*", "");
    if (ip.isEmpty()) {
      throw new DriverError("ferry: the endpoint has no IPv4 address; create the network with --ipam-driver ferry");
    }
    JsonNode port = portByIp(netId, ip).orElseThrow(() -> new DriverError("ferry: " + ip
        + " is not a Ferry port's address; create the network with --ipam-driver ferry"));
    String mac = itf.path("MacAddress").asText("");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("network", netId);
    body.put("name", endpoint);
    body.put("mac", mac.isEmpty() ? port.path("mac").asText() : mac);
    body.put("host", host);
    JsonNode updated = api.call("PUT", "/v1/ports/" + port.path("id").asText(), body, null);
    ObjectNode r = obj();
    if (mac.isEmpty()) {
      r.putObject("Interface").put("MacAddress", updated.path("mac").asText());
    }
    return r;
  }

  private ObjectNode join(JsonNode req) {
    String netId = ferryNetwork(req);
    String endpoint = text(req, "EndpointID");
    JsonNode net = network(netId);
    JsonNode port = PortLookup.port(api, netId, endpoint)
        .orElseThrow(() -> new DriverError("ferry: no port for endpoint " + endpoint + " (CreateEndpoint first)"));
    String hostLink = OpsNames.hostLink(netId, endpoint);
    String peerLink = OpsNames.peerLink(netId, endpoint);
    removeHostSide(netId, endpoint);
    try {
      for (List<String> c : AttachPlan.hostSide(hostLink, peerLink, net.path("mtu").asInt(1450), vsctl)) {
        sh.run(new ArrayList<>(c)).check();
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("network", netId);
      body.put("name", endpoint);
      body.put("host", host);
      body.put("interface", hostLink);
      api.call("PUT", "/v1/ports/" + port.path("id").asText(), body, null);
    } catch (RuntimeException e) {
      removeHostSide(netId, endpoint);
      throw e;
    }
    ObjectNode r = obj();
    r.putObject("InterfaceName").put("SrcName", peerLink).put("DstPrefix", "eth");
    String gw = net.path("gateway_ip").asText("");
    if (!gw.isEmpty()) {
      r.put("Gateway", gw);
    }
    return r;
  }

  private ObjectNode leave(JsonNode req) {
    String netId = ferryNetwork(req);
    String endpoint = text(req, "EndpointID");
    removeHostSide(netId, endpoint);
    PortLookup.port(api, netId, endpoint).ifPresent(p -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("network", netId);
      body.put("name", endpoint);
      body.put("host", host);
      api.call("PUT", "/v1/ports/" + p.path("id").asText(), body, null);
    });
    return obj();
  }

  /** The OVS port and the veth (with its peer, wherever it is); fine when already gone. */
  private void removeHostSide(String netId, String endpoint) {
    String hostLink = OpsNames.hostLink(netId, endpoint);
    vsctl.run(List.of("--if-exists", "del-port", HostSetupSpec.BRIDGE, hostLink)).check();
    if (sh.run(List.of("ip", "link", "show", hostLink)).ok()) {
      sh.run(List.of("ip", "link", "del", hostLink)).check();
    }
  }

  private String ferryNetwork(JsonNode req) {
    String id = text(req, "NetworkID");
    return networks.ferryNetwork(id).orElseThrow(() -> new DriverError("ferry: network " + id
        + " was not created through this plugin (no CreateNetwork seen)"));
  }

  private JsonNode network(String ferryId) {
    return api.call("GET", "/v1/networks/" + ferryId, null, null);
  }

  private Optional<JsonNode> portByIp(String netId, String ip) {
    for (JsonNode p : api.call("GET", "/v1/ports?network=" + netId, null, null)) {
      if (ip.equals(p.path("ip").asText())) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static String text(JsonNode req, String field) {
    String v = req.path(field).asText("");
    if (v.isEmpty()) {
      throw new DriverError("ferry: request without " + field);
    }
    return v;
  }

  static ObjectNode obj() {
    return JSON.createObjectNode();
  }
}
