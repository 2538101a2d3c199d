package dev.ferry.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "port", mixinStandardHelpOptions = true, description = "Ports: a container's attachment to a network.")
final class PortCmd extends ResourceCmd {

  static final List<String> COLUMNS = List.of("name", "id", "network", "mac", "ip", "host", "interface", "status", "revision");


  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a port (MAC and IP allocated unless given).")
  int create(@Option(names = "--network", required = true) String network,
      @Option(names = "--name") String name,
      @Option(names = "--id", description = "id (default: generated)") String id,
      @Option(names = "--mac") String mac,
      @Option(names = "--ip") String ip,
      @Option(names = "--host", description = "host name the port lives on") String host,
      @Option(names = "--interface", description = "OVS port name on that host") String iface,
      @Option(names = "--port-security", negatable = true, description = "default on") Boolean portSecurity,
      @Option(names = "--security-group", paramLabel = "ID",
          description = "security group (repeatable); the tenant's default when none") List<String> groups,
      @Option(names = "--allowed-address-pair", paramLabel = "IP[,MAC]",
          description = "an extra address (or prefix) the port may use, e.g. a VIP; MAC defaults to the port's; repeatable")
          List<String> pairs) {
    Fields f = new Fields().put("id", id).put("network", Lookup.network(root, sub("create"), network, null)).put("name", name)
        .put("mac", mac).put("ip", ip).put("host", host).put("interface", iface).put("port_security", portSecurity)
        .put("security_groups", groups).put("allowed_address_pairs", addressPairs(pairs));
    return root.call(sub("create"), "POST", "/v1/ports", f.map(), null, COLUMNS, PortCmd::forTable);
  }

  /** "IP[,MAC]" options as [{"ip_address": IP, "mac_address": MAC}, ...]; null when none given. */
  static List<java.util.Map<String, String>> addressPairs(List<String> options) {
    if (options == null) {
      return null;
    }
    List<java.util.Map<String, String>> out = new ArrayList<>();
    for (String o : options) {
      String[] parts = o.split(",", 2);
      java.util.Map<String, String> pair = new java.util.LinkedHashMap<>();
      pair.put("ip_address", parts[0].trim());
      if (parts.length == 2 && !parts[1].isBlank()) {
        pair.put("mac_address", parts[1].trim());
      }
      out.add(pair);
    }
    return out;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List ports, by name.")
  int list(@Option(names = "--tenant") String tenant, @Option(names = "--network") String network,
      @Option(names = "--host") String host) {
    return root.call(sub("list"), "GET", "/v1/ports" + Query.of("tenant", Lookup.tenant(root, sub("list"), tenant),
        "network", Lookup.network(root, sub("list"), network, tenant), "host", host),
        null, null, COLUMNS, PortCmd::forTable);
  }

  /** Rows by name (then id); status as "bound:5", "down", "unbound" instead of its JSON object. */
  static JsonNode forTable(JsonNode answer) {
    if (!answer.isArray()) {
      return withReadableStatus(answer);
    }
    List<JsonNode> rows = new ArrayList<>();
    answer.forEach(rows::add);
    rows.sort(Comparator.comparing((JsonNode p) -> p.path("name").asText(""))
        .thenComparing(p -> p.path("id").asText("")));
    ArrayNode sorted = JsonNodeFactory.instance.arrayNode();
    rows.forEach(p -> sorted.add(withReadableStatus(p)));
    return sorted;
  }

  private static JsonNode withReadableStatus(JsonNode port) {
    JsonNode status = port.path("status");
    if (!port.isObject() || !status.isObject()) {
      return port;
    }
    String state = status.path("state").asText("unknown");
    String text = status.path("of_port").isNumber() ? state + ":" + status.path("of_port").asInt() : state;
    return ((ObjectNode) port.deepCopy()).put("status", text);
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one port (by id, or by name).")
  int show(@Parameters(paramLabel = "PORT", description = "id or name") String id,
      @Option(names = "--network", description = "the port's network (id or name), for a name used in several") String network) {
    return root.call(sub("show"), "GET", "/v1/ports/" + Lookup.port(root, sub("show"), id, network), null, null,
        COLUMNS, PortCmd::forTable);
  }

  @Command(name = "update", mixinStandardHelpOptions = true, description = "Change a port (only the options given).")
  int update(@Parameters(paramLabel = "PORT", description = "id or name") String id,
      @Option(names = "--network", description = "the port's network (id or name), for a name used in several") String network,
      @Option(names = "--name") String name,
      @Option(names = "--mac") String mac,
      @Option(names = "--ip") String ip,
      @Option(names = "--host", description = "host name, or 'none'") String host,
      @Option(names = "--interface", description = "OVS port name, or 'none'") String iface,
      @Option(names = "--port-security", negatable = true) Boolean portSecurity,
      @Option(names = "--security-group", paramLabel = "ID", description = "replaces the port's groups; repeatable")
          List<String> groups,
      @Option(names = "--allowed-address-pair", paramLabel = "IP[,MAC]",
          description = "replaces the port's allowed address pairs; repeatable") List<String> pairs,
      @Option(names = "--no-allowed-address-pairs", description = "removes all allowed address pairs")
          boolean noPairs,
      @Option(names = "--if-match", paramLabel = "REVISION") String ifMatch) {
    Fields f = new Fields().put("name", name).put("mac", mac).put("ip", ip).clearable("host", host)
        .clearable("interface", iface).put("port_security", portSecurity).put("security_groups", groups)
        .put("allowed_address_pairs", noPairs ? List.of() : addressPairs(pairs));
    return root.call(sub("update"), "PATCH", "/v1/ports/" + Lookup.port(root, sub("update"), id, network), f.map(),
        ifMatch, COLUMNS, PortCmd::forTable);
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a port.")
  int delete(@Parameters(paramLabel = "PORT", description = "id or name") String id,
      @Option(names = "--network", description = "the port's network (id or name), for a name used in several") String network,
      @Option(names = "--if-match", paramLabel = "REVISION") String ifMatch) {
    return root.call(sub("delete"), "DELETE", "/v1/ports/" + Lookup.port(root, sub("delete"), id, network), null,
        ifMatch, COLUMNS);
  }
}
