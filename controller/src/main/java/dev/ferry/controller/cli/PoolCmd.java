package dev.ferry.controller.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "external-pool", mixinStandardHelpOptions = true, aliases = "pool",
    description = "External pools: the uplink addresses floating IPs come from (admin writes).")
final class PoolCmd extends ResourceCmd {

  static final List<String> COLUMNS = List.of("name", "cidr", "ranges", "revision");


  /** "a.b.c.d-e.f.g.h" (or one address) -> {"start": ..., "end": ...}. */
  static List<Map<String, Object>> ranges(List<String> texts) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String t : texts) {
      String[] parts = t.split("-", 2);
      out.add(new Fields().put("start", parts[0].trim()).put("end", (parts.length == 2 ? parts[1] : parts[0]).trim()).map());
    }
    return out;
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an external pool.")
  int create(@Parameters(paramLabel = "NAME") String name,
      @Option(names = "--cidr", required = true, description = "the uplink subnet, e.g. 203.0.113.0/24") String cidr,
      @Option(names = "--range", required = true, paramLabel = "START-END",
          description = "allocatable addresses, e.g. 203.0.113.100-203.0.113.199; repeatable") List<String> ranges) {
    Fields f = new Fields().put("name", name).put("cidr", cidr).put("ranges", ranges(ranges));
    return root.call(sub("create"), "POST", "/v1/external_pools", f.map(), null, COLUMNS);
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List external pools.")
  int list() {
    return root.call(sub("list"), "GET", "/v1/external_pools", null, null, COLUMNS);
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one external pool.")
  int show(@Parameters(paramLabel = "NAME") String name) {
    return root.call(sub("show"), "GET", "/v1/external_pools/" + name, null, null, COLUMNS);
  }

  @Command(name = "update", mixinStandardHelpOptions = true, description = "Replace a pool's ranges (none may drop a floating IP in use).")
  int update(@Parameters(paramLabel = "NAME") String name,
      @Option(names = "--range", required = true, paramLabel = "START-END", description = "repeatable") List<String> ranges,
      @Option(names = "--if-match", paramLabel = "REVISION") String ifMatch) {
    return root.call(sub("update"), "PATCH", "/v1/external_pools/" + name,
        new Fields().put("ranges", ranges(ranges)).map(), ifMatch, COLUMNS);
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an external pool (no floating IP may use it).")
  int delete(@Parameters(paramLabel = "NAME") String name, @Option(names = "--if-match", paramLabel = "REVISION") String ifMatch) {
    return root.call(sub("delete"), "DELETE", "/v1/external_pools/" + name, null, ifMatch, COLUMNS);
  }
}
