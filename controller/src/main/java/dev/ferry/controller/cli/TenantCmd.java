package dev.ferry.controller.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tenant", mixinStandardHelpOptions = true, description = "Tenants (admin only).")
final class TenantCmd extends ResourceCmd {

  static final List<String> COLUMNS = List.of("id", "name", "revision");


  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a tenant.")
  int create(@Option(names = "--name", required = true) String name,
      @Option(names = "--id", description = "id (default: generated)") String id) {
    return root.call(sub("create"), "POST", "/v1/tenants", new Fields().put("id", id).put("name", name).map(), null, COLUMNS);
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List tenants.")
  int list() {
    return root.call(sub("list"), "GET", "/v1/tenants", null, null, COLUMNS);
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one tenant.")
  int show(@Parameters(paramLabel = "ID") String id) {
    return root.call(sub("show"), "GET", "/v1/tenants/" + id, null, null, COLUMNS);
  }

  @Command(name = "update", mixinStandardHelpOptions = true, description = "Change a tenant's name.")
  int update(@Parameters(paramLabel = "ID") String id, @Option(names = "--name", required = true) String name,
      @Option(names = "--if-match", paramLabel = "REVISION") String ifMatch) {
    return root.call(sub("update"), "PATCH", "/v1/tenants/" + id, new Fields().put("name", name).map(), ifMatch, COLUMNS);
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a tenant (it must have no networks or floating IPs).")
  int delete(@Parameters(paramLabel = "ID") String id, @Option(names = "--if-match", paramLabel = "REVISION") String ifMatch) {
    return root.call(sub("delete"), "DELETE", "/v1/tenants/" + id, null, ifMatch, COLUMNS);
  }

  @Command(name = "token", mixinStandardHelpOptions = true, description = "Issue a bearer token for a tenant (printed once; keep it).")
  int token(@Parameters(paramLabel = "ID") String id) {
    return root.call(sub("token"), "POST", "/v1/tenants/" + id + "/tokens", new Fields().map(), null, List.of("tenant", "token"));
  }
}
