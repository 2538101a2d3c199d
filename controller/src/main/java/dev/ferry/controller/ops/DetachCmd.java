package dev.ferry.controller.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.controller.cli.CtlClient;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ferry detach}: removes what attach made (host veth, OVS port, REST port). Every step
 * tolerates its object being gone already, so it also cleans up after a vanished container.
 */
@Command(name = "detach", mixinStandardHelpOptions = true,
    description = "Remove a namespace's or container's port: veth, OVS port and REST port.")
public final class DetachCmd implements Callable<Integer> {

  @ArgGroup(exclusive = true, multiplicity = "1")
  NetnsOptions target;

  @Option(names = "--network", required = true, description = "network id or name")
  String network;

  @Option(names = "--name", description = "port name (default: the namespace or container name)")
  String portName;

  @Option(names = "--db", paramLabel = "REMOTE", description = "ovsdb holding br-int")
  String db;

  @Mixin
  RestOptions rest;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Commands sh = Commands.SYSTEM;
    // The host credential: it may bind ports to this host only.
    CtlClient api = rest.hostClient(System.getenv());
    String name = portName != null ? portName : target.name();
    String netId = PortLookup.network(api, network).path("id").asText();
    Optional<JsonNode> port = PortLookup.port(api, netId, name);
    String hostLink = port.map(p -> p.path("interface").asText(""))
        .filter(s -> !s.isEmpty()).orElse(OpsNames.hostLink(netId, name));
    Vsctl vsctl = new Vsctl(sh, db);
    vsctl.run(List.of("--if-exists", "del-port", HostSetupSpec.BRIDGE, hostLink)).check();
    // Deleting the host end deletes the pair, whether its peer is still in the container or not.
    if (sh.run(List.of("ip", "link", "show", hostLink)).ok()) {
      sh.run(List.of("ip", "link", "del", hostLink)).check();
    }
    if (port.isPresent()) {
      try {
        api.call("DELETE", "/v1/ports/" + port.get().path("id").asText(), null, null);
      } catch (CtlClient.ApiFailure f) {
        if (f.status != 404) {
          throw f;
        }
      }
    }
    out.println("detached " + name + " (" + hostLink + (port.isPresent() ? ", port " + port.get().path("id").asText() : "")
        + ")");
    out.flush();
    return 0;
  }
}
