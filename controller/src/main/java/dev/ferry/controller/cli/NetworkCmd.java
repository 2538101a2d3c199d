package dev.ferry.controller.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "network", mixinStandardHelpOptions = true, description = "Tenant networks (one VXLAN VNI each).")
final class NetworkCmd extends ResourceCmd {

  static final List<String> COLUMNS = List.of("id", "tenant", "name", "vni", "cidr", "gateway_ip", "dhcp", "mtu", "revision");


  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a network.")
  int create(@Option(names = "--cidr", required = true, description = "IPv4 prefix, e.g. 10.0.0.0/24") String cidr,
      @Option(names = "--tenant", description = "owner (admin; a tenant token implies its own)") String tenant,
      @Option(names = "--name") String name,
      @Option(names = "--id", description = "id (default: generated)") String id,
      @Option(names = "--vni", description = "1..16777215 (default: allocated; admin only)") Integer vni,
      @Option(names = "--gateway-ip", description = "default: the first address") String gatewayIp,
      @Option(names = "--dhcp", negatable = true, description = "serve DHCP (default on)") Boolean dhcp,
      @Option(names = "--mtu", description = "default 1450") Integer mtu,
      @Option(names = "--dns", split = ",", paramLabel = "IP") List<String> dns,
      @Option(names = "--gateway-host", description = "central gateway host (admin only)") String gatewayHost) {
    Fields f = new Fields().put("id", id).put("tenant", Lookup.tenant(root, sub("create"), tenant)).put("name", name).put("cidr", cidr).put("vni", vni)
        .put("gateway_ip", gatewayIp).put("dhcp", dhcp).put("mtu", mtu).put("dns_servers", dns).put("gateway_host", gatewayHost);
    return root.call(sub("create"), "POST", "/v1/networks", f.map(), null, COLUMNS);
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List networks.")
  int list(@Option(names = "--tenant") String tenant) {
    return root.call(sub("list"), "GET", "/v1/networks" + Query.of("tenant", tenant), null, null, COLUMNS);
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one network.")
  int show(@Parameters(paramLabel = "NETWORK", description = "id or name") String id,
      @Option(names = "--tenant", description = "the network's tenant (id or name), for a name used in several") String tenant) {
    return root.call(sub("show"), "GET", "/v1/networks/" + Lookup.network(root, sub("show"), id, tenant), null, null, COLUMNS);
  }

  @Command(name = "update", mixinStandardHelpOptions = true, description = "Change a network (only the options given).")
  int update(@Parameters(paramLabel = "NETWORK", description = "id or name") String id,
      @Option(names = "--tenant", description = "the network's tenant (id or name), for a name used in several") String tenant,
      @Option(names = "--name") String name,
      @Option(names = "--gateway-ip") String gatewayIp,
      @Option(names = "--dhcp", negatable = true) Boolean dhcp,
      @Option(names = "--mtu") Integer mtu,
      @Option(names = "--dns", split = ",", paramLabel = "IP") List<String> dns,
      @Option(names = "--gateway-host", description = "host name, or 'none'") String gatewayHost,
      @Option(names = "--if-match", paramLabel = "REVISION") String ifMatch) {
    Fields f = new Fields().put("name", name).put("gateway_ip", gatewayIp).put("dhcp", dhcp).put("mtu", mtu)
        .put("dns_servers", dns).clearable("gateway_host", gatewayHost);
    return root.call(sub("update"), "PATCH", "/v1/networks/" + Lookup.network(root, sub("update"), id, tenant), f.map(), ifMatch, COLUMNS);
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a network (it must have no ports).")
  int delete(@Parameters(paramLabel = "NETWORK", description = "id or name") String id,
      @Option(names = "--tenant", description = "the network's tenant (id or name), for a name used in several") String tenant,
      @Option(names = "--if-match", paramLabel = "REVISION") String ifMatch) {
    return root.call(sub("delete"), "DELETE", "/v1/networks/" + Lookup.network(root, sub("delete"), id, tenant), null,
        ifMatch, COLUMNS);
  }
}
