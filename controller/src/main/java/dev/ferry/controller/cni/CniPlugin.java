package dev.ferry.controller.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.controller.cli.CtlClient;
import dev.ferry.controller.ops.AttachPlan;
import dev.ferry.controller.ops.AttachSpec;
import dev.ferry.controller.ops.Commands;
import dev.ferry.controller.ops.HostSetupSpec;
import dev.ferry.controller.ops.NetnsTarget;
import dev.ferry.controller.ops.PortLookup;
import dev.ferry.controller.ops.Vsctl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The CNI operations on one host: the REST port (Ferry's IPAM), the veth pair into the pod's
 * namespace and the host end on br-int, with the same commands {@code ferry attach} runs
 * ({@link AttachPlan}). Returns the result document, or null for operations that print nothing.
 */
public final class CniPlugin {
  private final Commands sh;
  private final CniConfig config;
  private final CtlClient api;
  private final Vsctl vsctl;

  public CniPlugin(Commands sh, CniConfig config) {
    this.sh = sh;
    this.config = config;
    this.api = new CtlClient(config.url(), token(config.tokenFile()));
    this.vsctl = new Vsctl(sh, config.ovsdb());
  }

  public ObjectNode run(CniRequest req) {
    return switch (req.command()) {
      case "ADD" -> add(req);
      case "DEL" -> del(req);
      case "CHECK" -> check(req);
      case "GC" -> gc();
      case "STATUS" -> status();
      default -> throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_COMMAND " + req.command()
          + " is not one of ADD, DEL, CHECK, GC, STATUS, VERSION");
    };
  }

  ObjectNode add(CniRequest req) {
    req.require(true);
    if (!Files.exists(Path.of(req.netns()))) {
      throw new CniError(CniError.UNKNOWN_CONTAINER, "network namespace " + req.netns() + " does not exist");
    }
    CniAttachment a = CniAttachment.of(config.network(), req.containerId(), req.ifname());
    JsonNode net = rest(() -> PortLookup.network(api, config.network()));
    String netId = net.path("id").asText();
    // A repeated ADD (the runtime retrying after a failure) starts from a clean host side.
    if (sh.run(List.of("ip", "link", "show", a.hostLink())).ok()) {
      AttachPlan.undo(a.hostLink(), vsctl).forEach(sh::run);
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("network", netId);
    fields.put("name", CniAttachment.PORT_NAME_PREFIX + req.portName());
    fields.put("host", config.host());
    fields.put("interface", a.hostLink());
    boolean created = true;
    JsonNode port;
    try {
      Map<String, Object> create = new LinkedHashMap<>(fields);
      if (req.args().containsKey("IP")) {
        create.put("ip", req.args().get("IP"));
      }
      port = api.call("POST", "/v1/ports", create, null);
    } catch (CtlClient.ApiFailure f) {
      Optional<JsonNode> existing = f.status == 409 ? portOnHost(a.hostLink()) : Optional.empty();
      if (existing.isEmpty()) {
        throw refused(f);
      }
      // A repeated ADD: this host's interface already names a port. PUT, not PATCH (the client
      // sends PATCH through java.net.http, whose start-up costs more than ADD); mac and ip stay.
      created = false;
      String id = existing.get().path("id").asText();
      port = rest(() -> api.call("PUT", "/v1/ports/" + id, fields, null));
    } catch (CtlClient.Unreachable u) {
      throw unreachable(u);
    }
    String portId = port.path("id").asText();
    int prefix = Integer.parseInt(net.path("cidr").asText().replaceAll(".*/", ""));
    int mtu = config.mtu() > 0 ? config.mtu() : net.path("mtu").asInt(1450);
    AttachSpec spec = new AttachSpec(NetnsTarget.path(req.netns()), a.hostLink(), a.peerLink(),
        port.path("mac").asText(), port.path("ip").asText(), prefix, net.path("gateway_ip").asText(null), mtu, false,
        req.ifname());
    try {
      for (List<String> c : AttachPlan.commands(spec, vsctl, null)) {
        Commands.Result r = sh.run(new ArrayList<>(c));
        if (!r.ok()) {
          throw new CniError(CniError.HOST_COMMAND_FAILED, String.join(" ", c) + " failed (exit " + r.exitCode() + ")",
              r.err().strip());
        }
      }
    } catch (RuntimeException e) {
      AttachPlan.undo(a.hostLink(), vsctl).forEach(sh::run);
      if (created) {
        try {
          api.call("DELETE", "/v1/ports/" + portId, null, null);
        } catch (RuntimeException ignored) {
          // The error being reported is the first one; a later DEL removes the port.
        }
      }
      throw e;
    }
    return CniResult.add(config, a.hostLink(), hostMac(a.hostLink()), req.ifname(), req.netns(), port, net);
  }

  /** Removes whatever is left of the attachment; missing pieces (netns, veth, port) are fine. */
  ObjectNode del(CniRequest req) {
    req.require(false);
    CniAttachment a = CniAttachment.of(config.network(), req.containerId(), req.ifname());
    removeHostSide(a.hostLink());
    // Unreachable Ferry: code 11, and the runtime retries DEL.
    portOnHost(a.hostLink()).ifPresent(p -> deletePort(p.path("id").asText()));
    return null;
  }

  private void removeHostSide(String hostLink) {
    // The OVS row outlives its veth when the namespace was deleted first, so del-port always runs.
    Commands.Result r = vsctl.run(List.of("--if-exists", "del-port", HostSetupSpec.BRIDGE, hostLink));
    if (!r.ok()) {
      throw new CniError(CniError.HOST_COMMAND_FAILED, "ovs-vsctl del-port " + hostLink + " failed", r.err().strip());
    }
    // Deleting the host end deletes the pair, whether its peer is still in the namespace or not.
    if (sh.run(List.of("ip", "link", "show", hostLink)).ok()) {
      Commands.Result d = sh.run(List.of("ip", "link", "del", hostLink));
      if (!d.ok() && sh.run(List.of("ip", "link", "show", hostLink)).ok()) {
        throw new CniError(CniError.HOST_COMMAND_FAILED, "ip link del " + hostLink + " failed", d.err().strip());
      }
    }
  }

  /** The interface, its addresses, MAC and MTU, the host end on br-int, and the REST port bound here. */
  ObjectNode check(CniRequest req) {
    req.require(true);
    if (config.cniVersion().startsWith("0.3")) {
      throw new CniError(CniError.INCOMPATIBLE_VERSION, "CHECK needs cniVersion 0.4.0 or later");
    }
    JsonNode prev = config.prevResult();
    if (prev == null) {
      throw new CniError(CniError.INVALID_CONFIG, "CHECK needs prevResult (the result of ADD)");
    }
    if (!Files.exists(Path.of(req.netns()))) {
      throw new CniError(CniError.UNKNOWN_CONTAINER, "network namespace " + req.netns() + " does not exist");
    }
    CniAttachment a = CniAttachment.of(config.network(), req.containerId(), req.ifname());
    int index = -1;
    JsonNode mine = null;
    for (int i = 0; i < prev.path("interfaces").size(); i++) {
      JsonNode itf = prev.path("interfaces").get(i);
      if (req.ifname().equals(itf.path("name").asText()) && req.netns().equals(itf.path("sandbox").asText())) {
        index = i;
        mine = itf;
      }
    }
    if (mine == null) {
      throw new CniError(CniError.CHECK_FAILED, "prevResult has no interface " + req.ifname() + " in " + req.netns());
    }
    NetnsTarget ns = NetnsTarget.path(req.netns());
    Commands.Result shown = sh.run(ns.inside("ip", "-j", "addr", "show", "dev", req.ifname()));
    if (!shown.ok()) {
      throw new CniError(CniError.CHECK_FAILED, req.ifname() + " is missing in " + req.netns(), shown.err().strip());
    }
    JsonNode link = parse(shown.out()).path(0);
    String mac = link.path("address").asText();
    if (!mine.path("mac").asText().equalsIgnoreCase(mac)) {
      throw new CniError(CniError.CHECK_FAILED, req.ifname() + " has MAC " + mac + ", expected " + mine.path("mac").asText());
    }
    Set<String> have = new HashSet<>();
    link.path("addr_info").forEach(ai -> have.add(ai.path("local").asText() + "/" + ai.path("prefixlen").asInt()));
    String expectedIp = null;
    for (JsonNode ip : prev.path("ips")) {
      if (ip.path("interface").asInt(-1) == index) {
        String addr = ip.path("address").asText();
        if (!have.contains(addr)) {
          throw new CniError(CniError.CHECK_FAILED, req.ifname() + " lacks address " + addr, "has " + have);
        }
        expectedIp = addr.replaceAll("/.*", "");
      }
    }
    if (!sh.run(List.of("ip", "link", "show", a.hostLink())).ok()) {
      throw new CniError(CniError.CHECK_FAILED, "host veth " + a.hostLink() + " is missing");
    }
    Commands.Result br = vsctl.run(List.of("port-to-br", a.hostLink()));
    if (!br.ok() || !HostSetupSpec.BRIDGE.equals(br.out().strip())) {
      throw new CniError(CniError.CHECK_FAILED, a.hostLink() + " is not a port of " + HostSetupSpec.BRIDGE);
    }
    JsonNode port = portOnHost(a.hostLink()).orElseThrow(() -> new CniError(CniError.CHECK_FAILED,
        "Ferry has no port on host " + config.host() + " with interface " + a.hostLink()));
    List<String> wrong = new ArrayList<>();
    expect(wrong, "host", config.host(), port.path("host").asText());
    expect(wrong, "interface", a.hostLink(), port.path("interface").asText());
    expect(wrong, "mac", mac.toLowerCase(), port.path("mac").asText());
    if (expectedIp != null) {
      expect(wrong, "ip", expectedIp, port.path("ip").asText());
    }
    expect(wrong, "status.state", "bound", port.path("status").path("state").asText());
    expect(wrong, "status.host", config.host(), port.path("status").path("host").asText());
    if (!wrong.isEmpty()) {
      throw new CniError(CniError.CHECK_FAILED, "Ferry's port " + port.path("id").asText() + " differs: "
          + String.join(", ", wrong));
    }
    return null;
  }

  /** CNI 1.1 GC: removes this plugin's ports on this host in this network that no valid attachment names. */
  ObjectNode gc() {
    JsonNode net = rest(() -> PortLookup.network(api, config.network()));
    Set<String> keep = new HashSet<>();
    for (JsonNode v : config.raw().path("cni.dev/valid-attachments")) {
      keep.add(CniAttachment.of(config.network(), v.path("containerID").asText(), v.path("ifname").asText()).hostLink());
    }
    JsonNode ports = rest(() -> api.call("GET", "/v1/ports?network=" + net.path("id").asText() + "&host="
        + config.host(), null, null));
    for (JsonNode p : ports) {
      String id = p.path("id").asText();
      String link = p.path("interface").asText("");
      if (p.path("name").asText().startsWith(CniAttachment.PORT_NAME_PREFIX) && !keep.contains(link)) {
        if (!link.isEmpty()) {
          removeHostSide(link);
        }
        deletePort(id);
      }
    }
    return null;
  }

  /** CNI 1.1 STATUS: ready when Ferry answers for the network. */
  ObjectNode status() {
    try {
      PortLookup.network(api, config.network());
      return null;
    } catch (RuntimeException e) {
      throw new CniError(CniError.NOT_AVAILABLE, "Ferry is not ready for network " + config.network(), e.getMessage());
    }
  }

  /** DELETE; a 404 (a concurrent DEL got there first) is what DEL wanted anyway. */
  private void deletePort(String id) {
    try {
      api.call("DELETE", "/v1/ports/" + id, null, null);
    } catch (CtlClient.ApiFailure f) {
      if (f.status != 404) {
        throw refused(f);
      }
    } catch (CtlClient.Unreachable u) {
      throw unreachable(u);
    }
  }

  /** The REST port bound to this host's interface (a host's interface belongs to one port). */
  private Optional<JsonNode> portOnHost(String hostLink) {
    for (JsonNode p : rest(() -> api.call("GET", "/v1/ports?host=" + config.host(), null, null))) {
      if (hostLink.equals(p.path("interface").asText())) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static void expect(List<String> wrong, String field, String expected, String actual) {
    if (!expected.equals(actual)) {
      wrong.add(field + " is " + actual + ", expected " + expected);
    }
  }

  private static String hostMac(String link) {
    try {
      return Files.readString(Path.of("/sys/class/net", link, "address")).strip();
    } catch (IOException e) {
      return null;
    }
  }

  private static JsonNode parse(String json) {
    try {
      return CniResult.JSON.readTree(json);
    } catch (IOException e) {
      throw new CniError(CniError.HOST_COMMAND_FAILED, "ip -j printed no JSON", json);
    }
  }

  private static String token(String file) {
    if (file == null) {
      return null;
    }
    try {
      return Files.readString(Path.of(file)).strip();
    } catch (IOException e) {
      throw new CniError(CniError.IO_FAILURE, "cannot read tokenFile " + file, e.toString());
    }
  }

  private static <T> T rest(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (CtlClient.ApiFailure f) {
      throw refused(f);
    } catch (CtlClient.Unreachable u) {
      throw unreachable(u);
    } catch (IllegalArgumentException e) {
      throw new CniError(CniError.INVALID_CONFIG, e.getMessage());
    }
  }

  private static CniError refused(CtlClient.ApiFailure f) {
    return new CniError(CniError.FERRY_REFUSED, "Ferry refused the request (HTTP " + f.status + "): " + f.getMessage(),
        f.body.toString());
  }

  private static CniError unreachable(CtlClient.Unreachable u) {
    return new CniError(CniError.TRY_AGAIN_LATER, "Ferry is unreachable", u.getMessage());
  }
}
