package dev.ferry.controller.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "host", mixinStandardHelpOptions = true, description = "Hosts: one OVS br-int each (admin only).")
final class HostCmd extends ResourceCmd {

  static final List<String> COLUMNS = List.of("name", "datapath_id", "tunnel_ip", "uplink", "connected", "revision");


  /** The uplink options, all three or none. */
  static Object uplink(String iface, String address, String nextHop) {
    if (iface == null && address == null && nextHop == null) {
      return null;
    }
    return new Fields().put("interface", iface).put("address", address).put("next_hop", nextHop).map();
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Register a host.")
  int create(@Parameters(paramLabel = "NAME") String name,
      @Option(names = "--datapath-id", required = true, description = "16 hex digits (colons allowed)") String dpid,
      @Option(names = "--tunnel-ip", required = true) String tunnelIp,
      @Option(names = "--uplink-interface") String uplinkInterface,
      @Option(names = "--uplink-address", description = "address with prefix, e.g. 203.0.113.2/24") String uplinkAddress,
      @Option(names = "--uplink-next-hop") String uplinkNextHop) {
    Fields f = new Fields().put("name", name).put("datapath_id", dpid).put("tunnel_ip", tunnelIp)
        .put("uplink", uplink(uplinkInterface, uplinkAddress, uplinkNextHop));
    return root.call(sub("create"), "POST", "/v1/hosts", f.map(), null, COLUMNS);
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List hosts.")
  int list() {
    return root.call(sub("list"), "GET", "/v1/hosts", null, null, COLUMNS);
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one host.")
  int show(@Parameters(paramLabel = "NAME") String name) {
    return root.call(sub("show"), "GET", "/v1/hosts/" + name, null, null, COLUMNS);
  }

  @Command(name = "update", mixinStandardHelpOptions = true, description = "Change a host (only the options given).")
  int update(@Parameters(paramLabel = "NAME") String name,
      @Option(names = "--datapath-id") String dpid,
      @Option(names = "--tunnel-ip") String tunnelIp,
      @Option(names = "--uplink-interface") String uplinkInterface,
      @Option(names = "--uplink-address") String uplinkAddress,
      @Option(names = "--uplink-next-hop") String uplinkNextHop,
      @Option(names = "--no-uplink", description = "remove the uplink") boolean noUplink,
      @Option(names = "--if-match", paramLabel = "REVISION") String ifMatch) {
    Fields f = new Fields().put("datapath_id", dpid).put("tunnel_ip", tunnelIp)
        .put("uplink", uplink(uplinkInterface, uplinkAddress, uplinkNextHop));
    if (noUplink) {
      f.clearable("uplink", Fields.NONE);
    }
    return root.call(sub("update"), "PATCH", "/v1/hosts/" + name, f.map(), ifMatch, COLUMNS);
  }

  @Command(name = "credential", mixinStandardHelpOptions = true, description = "Issue a host credential (printed once): it may bind ports to this host only.")
  int credential(@Parameters(paramLabel = "NAME") String name) {
    return root.call(sub("credential"), "POST", "/v1/hosts/" + name + "/tokens", new Fields().map(), null,
        List.of("host", "token"));
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a host (no ports may live on it).")
  int delete(@Parameters(paramLabel = "NAME") String name, @Option(names = "--if-match", paramLabel = "REVISION") String ifMatch) {
    return root.call(sub("delete"), "DELETE", "/v1/hosts/" + name, null, ifMatch, COLUMNS);
  }
}
