package dev.ferry.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "switch", mixinStandardHelpOptions = true, description = "Connected switches and the flows they hold (admin only).")
final class SwitchCmd extends ResourceCmd {

  static final List<String> COLUMNS = List.of("datapath_id", "host", "remote_address", "connected_since", "flow_mods_sent");
  static final List<String> FLOW_COLUMNS = List.of("packets", "bytes", "flow");


  @Command(name = "list", mixinStandardHelpOptions = true, description = "List connected switches.")
  int list() {
    return root.call(sub("list"), "GET", "/v1/switches", null, null, COLUMNS);
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one switch: its connection, reconciles and ports.")
  int show(@Parameters(paramLabel = "HOST|DPID") String ref) {
    return root.call(sub("show"), "GET", "/v1/switches/" + dpid(ref), null, null, COLUMNS);
  }

  @Command(name = "flows", mixinStandardHelpOptions = true, description = "A switch's flows with names, owners and counters.")
  int flows(@Parameters(paramLabel = "HOST|DPID") String ref,
      @Option(names = "--tenant", description = "tenant id") String tenant,
      @Option(names = "--network", description = "network id or name") String network,
      @Option(names = "--port", description = "port id or name") String port,
      @Option(names = "--table", description = "table name or number") String table) {
    JsonNode answer = root.client().call("GET", "/v1/switches/" + dpid(ref) + "/flows"
        + Query.of("tenant", tenant, "network", network, "port", port, "table", table), null, null);
    var out = sub("flows").getOut();
    Output.print(out, root.output, root.output == Output.Format.json ? answer : answer.get("entries"),
        FLOW_COLUMNS);
    return FerryCtl.OK;
  }

  /** A datapath id as given (16 hex digits, colons allowed), else the named host's. */
  private String dpid(String ref) {
    String hex = ref.replace(":", "");
    if (hex.matches("[0-9a-fA-F]{16}")) {
      return hex;
    }
    JsonNode host = root.client().call("GET", "/v1/hosts/" + ref, null, null);
    return host.path("datapath_id").asText().replace(":", "");
  }
}
