package dev.ferry.controller.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "port", description = "Ports: a container's attachment to a network.")
final class PortCmd {

  static final List<String> COLUMNS = List.of("id", "network", "name", "mac", "ip", "host", "interface", "status", "revision");

  @CommandLine.ParentCommand
  FerryCtl root;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private CommandLine sub(String name) {
    return spec.commandLine().getSubcommands().get(name);
  }

  @Command(name = "create", description = "Create a port (MAC and IP allocated unless given).")
  int create(@Option(names = "--network", required = true) String network,
      @Option(names = "--name") String name,
      @Option(names = "--id", description = "id (default: generated)") String id,
      @Option(names = "--mac") String mac,
      @Option(names = "--ip") String ip,
      @Option(names = "--host", description = "host name the port lives on") String host,
      @Option(names = "--interface", description = "OVS port name on that host") String iface,
      @Option(names = "--port-security", negatable = true, description = "default on") Boolean portSecurity,
      @Option(names = "--security-group", paramLabel = "ID",
          description = "security group (repeatable); the tenant's default when none") List<String> groups) {
    Fields f = new Fields().put("id", id).put("network", network).put("name", name).put("mac", mac).put("ip", ip)
        .put("host", host).put("interface", iface).put("port_security", portSecurity).put("security_groups", groups);
    return root.call(sub("create"), "POST", "/v1/ports", f.map(), null, COLUMNS);
  }

  @Command(name = "list", description = "List ports.")
  int list(@Option(names = "--tenant") String tenant, @Option(names = "--network") String network,
      @Option(names = "--host") String host) {
    return root.call(sub("list"), "GET", "/v1/ports" + Query.of("tenant", tenant, "network", network, "host", host),
        null, null, COLUMNS);
  }

  @Command(name = "show", description = "Show one port.")
  int show(@Parameters(paramLabel = "ID") String id) {
    return root.call(sub("show"), "GET", "/v1/ports/" + id, null, null, COLUMNS);
  }

  @Command(name = "update", description = "Change a port (only the options given).")
  int update(@Parameters(paramLabel = "ID") String id,
      @Option(names = "--name") String name,
      @Option(names = "--mac") String mac,
      @Option(names = "--ip") String ip,
      @Option(names = "--host", description = "host name, or 'none'") String host,
      @Option(names = "--interface", description = "OVS port name, or 'none'") String iface,
      @Option(names = "--port-security", negatable = true) Boolean portSecurity,
      @Option(names = "--security-group", paramLabel = "ID", description = "replaces the port's groups; repeatable")
          List<String> groups,
      @Option(names = "--if-match", paramLabel = "REVISION") String ifMatch) {
    Fields f = new Fields().put("name", name).put("mac", mac).put("ip", ip).clearable("host", host)
        .clearable("interface", iface).put("port_security", portSecurity).put("security_groups", groups);
    return root.call(sub("update"), "PATCH", "/v1/ports/" + id, f.map(), ifMatch, COLUMNS);
  }

  @Command(name = "delete", description = "Delete a port.")
  int delete(@Parameters(paramLabel = "ID") String id, @Option(names = "--if-match", paramLabel = "REVISION") String ifMatch) {
    return root.call(sub("delete"), "DELETE", "/v1/ports/" + id, null, ifMatch, COLUMNS);
  }
}
