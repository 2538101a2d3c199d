package dev.ferry.controller.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "floating-ip", mixinStandardHelpOptions = true, aliases = "fip", description = "Floating IPs: external addresses mapped 1:1 onto ports.")
final class FloatingIpCmd extends ResourceCmd {

  static final List<String> COLUMNS = List.of("id", "tenant", "ip", "pool", "port", "host", "revision");


  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a floating IP, optionally assigned to a port.")
  int create(@Option(names = "--ip", description = "the external address (default: allocated from --pool)") String ip,
      @Option(names = "--pool", description = "external pool to allocate from, or that --ip is in") String pool,
      @Option(names = "--port") String port,
      @Option(names = "--tenant", description = "owner (default: the port's tenant, or the token's)") String tenant,
      @Option(names = "--id", description = "id (default: generated)") String id) {
    Fields f = new Fields().put("id", id).put("ip", ip).put("pool", pool).put("port", port).put("tenant", tenant);
    return root.call(sub("create"), "POST", "/v1/floating_ips", f.map(), null, COLUMNS);
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List floating IPs.")
  int list(@Option(names = "--tenant") String tenant, @Option(names = "--port") String port,
      @Option(names = "--host") String host) {
    return root.call(sub("list"), "GET", "/v1/floating_ips" + Query.of("tenant", tenant, "port", port, "host", host),
        null, null, COLUMNS);
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one floating IP.")
  int show(@Parameters(paramLabel = "ID") String id) {
    return root.call(sub("show"), "GET", "/v1/floating_ips/" + id, null, null, COLUMNS);
  }

  @Command(name = "update", mixinStandardHelpOptions = true, description = "Assign to a port, or unassign with --port none.")
  int update(@Parameters(paramLabel = "ID") String id,
      @Option(names = "--port", required = true, description = "port id, or 'none'") String port,
      @Option(names = "--if-match", paramLabel = "REVISION") String ifMatch) {
    return root.call(sub("update"), "PATCH", "/v1/floating_ips/" + id, new Fields().clearable("port", port).map(), ifMatch, COLUMNS);
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a floating IP.")
  int delete(@Parameters(paramLabel = "ID") String id, @Option(names = "--if-match", paramLabel = "REVISION") String ifMatch) {
    return root.call(sub("delete"), "DELETE", "/v1/floating_ips/" + id, null, ifMatch, COLUMNS);
  }
}
