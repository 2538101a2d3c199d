package dev.ferry.controller.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.controller.cli.CtlClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ferry attach}: gives a namespace or container an eth0 on a Ferry network. Creates (or
 * binds) the REST port first, so addresses come from Ferry; then the veth pair, addresses, MTU,
 * route, and the host end on br-int. A failure undoes what this run created.
 */
@Command(name = "attach", mixinStandardHelpOptions = true,
    description = "Plug a network namespace or Docker container into a Ferry network on this host.")
public final class AttachCmd implements Callable<Integer> {

  @ArgGroup(exclusive = true, multiplicity = "1")
  NetnsOptions target;

  @Option(names = "--network", required = true, description = "network id or name")
  String network;

  @Option(names = "--name", description = "port name (default: the namespace or container name)")
  String portName;

  @Option(names = "--ip", description = "address (default: Ferry allocates one)")
  String ip;

  @Option(names = "--mac", description = "MAC (default: Ferry allocates one)")
  String mac;

  @Option(names = "--host", description = "this host's name in Ferry (default: hostname)")
  String host;

  @Option(names = "--dhcp", description = "configure eth0 with a DHCP client (the network must have dhcp on)")
  boolean dhcp;

  @Option(names = "--db", paramLabel = "REMOTE", description = "ovsdb holding br-int, e.g. unix:/run/openvswitch/db.sock")
  String db;

  @Mixin
  RestOptions rest;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Commands sh = Commands.SYSTEM;
    NetnsTarget ns = resolveTarget(sh);
    // The host credential: it may bind ports to this host only.
    CtlClient api = rest.hostClient(System.getenv());
    JsonNode net = PortLookup.network(api, network);
    if (dhcp && !net.path("dhcp").asBoolean()) {
      throw new IllegalArgumentException("--dhcp: network " + network + " has dhcp off");
    }
    String name = portName != null ? portName : target.name();
    String netId = net.path("id").asText();
    String hostLink = OpsNames.hostLink(netId, name);
    if (sh.run(List.of("ip", "link", "show", hostLink)).ok()) {
      out.println(hostLink + " already exists: " + name + " is attached (detach first to redo)");
      out.flush();
      return 0;
    }
    boolean existed = PortLookup.port(api, netId, name).isPresent();
    JsonNode port = ensurePort(api, netId, name, hostLink);
    AttachSpec s = new AttachSpec(ns, hostLink, OpsNames.peerLink(netId, name), port.path("mac").asText(),
        port.path("ip").asText(), prefixLength(net.path("cidr").asText()), net.path("gateway_ip").asText(null),
        net.path("mtu").asInt(1450), dhcp);
    Vsctl vsctl = new Vsctl(sh, db);
    try {
      run(sh, AttachPlan.commands(s, vsctl, dhcp ? dhcpScript().toString() : null));
    } catch (RuntimeException e) {
      AttachPlan.undo(hostLink, vsctl).forEach(sh::run);
      if (!existed) {
        api.call("DELETE", "/v1/ports/" + port.path("id").asText(), null, null);
      }
      throw e;
    }
    out.println("attached " + name + " (" + ns.description() + ") to " + net.path("name").asText() + ": eth0 "
        + s.mac() + " " + (dhcp ? "dhcp" : s.ip() + "/" + s.prefixLength()) + ", host link " + hostLink
        + ", port " + port.path("id").asText());
    out.flush();
    return 0;
  }

  private NetnsTarget resolveTarget(Commands sh) {
    if (target.netns != null) {
      if (!NetnsTarget.namedExists(target.netns)) {
        throw new IllegalArgumentException("no network namespace " + target.netns + " (ip netns list)");
      }
      return NetnsTarget.named(target.netns);
    }
    return NetnsTarget.docker(target.docker, sh).orElseThrow(() ->
        new IllegalArgumentException("container " + target.docker + " is not running (docker inspect found no PID)"));
  }

  /** Creates the port, or binds an existing one of that name to this host and link. */
  private JsonNode ensurePort(CtlClient api, String netId, String name, String hostLink) {
    String hostName = host != null ? host : OpsNames.hostname();
    var existing = PortLookup.port(api, netId, name);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("host", hostName);
    fields.put("interface", hostLink);
    if (ip != null) {
      fields.put("ip", ip);
    }
    if (mac != null) {
      fields.put("mac", mac);
    }
    if (existing.isPresent()) {
      return api.call("PATCH", "/v1/ports/" + existing.get().path("id").asText(), fields, null);
    }
    fields.put("network", netId);
    fields.put("name", name);
    return api.call("POST", "/v1/ports", fields, null);
  }

  static int prefixLength(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalStateException("network cidr without prefix: " + cidr);
    }
    return Integer.parseInt(cidr.substring(slash + 1));
  }

  private static Path dhcpScript() throws IOException {
    Path script = Files.createTempFile("ferry-udhcpc", ".sh",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.writeString(script, AttachPlan.DHCP_SCRIPT);
    script.toFile().deleteOnExit();
    return script;
  }

  private static void run(Commands sh, List<List<String>> commands) {
    for (List<String> c : commands) {
      sh.run(new ArrayList<>(c)).check();
    }
  }
}
