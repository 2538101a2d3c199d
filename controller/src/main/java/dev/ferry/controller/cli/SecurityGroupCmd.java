package dev.ferry.controller.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "security-group", aliases = "sg", mixinStandardHelpOptions = true,
    description = "Security groups and their rules (stateful allow rules; everything else is dropped).")
final class SecurityGroupCmd extends ResourceCmd {

  static final List<String> COLUMNS = List.of("id", "tenant", "name", "description", "revision");
  static final List<String> RULE_COLUMNS = List.of("id", "security_group", "direction", "protocol",
      "port_range_min", "port_range_max", "remote_ip_prefix", "remote_group_id");


  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a security group (no rules: allows nothing).")
  int create(@Parameters(paramLabel = "NAME") String name,
      @Option(names = "--tenant", description = "admin only; a tenant token creates in its own tenant") String tenant,
      @Option(names = "--description") String description) {
    Fields f = new Fields().put("name", name).put("tenant", tenant).put("description", description);
    return root.call(sub("create"), "POST", "/v1/security_groups", f.map(), null, COLUMNS);
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List security groups.")
  int list() {
    return root.call(sub("list"), "GET", "/v1/security_groups", null, null, COLUMNS);
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one security group.")
  int show(@Parameters(paramLabel = "ID") String id) {
    return root.call(sub("show"), "GET", "/v1/security_groups/" + id, null, null, COLUMNS);
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a security group and its rules (no port may use it).")
  int delete(@Parameters(paramLabel = "ID") String id, @Option(names = "--if-match", paramLabel = "REVISION") String ifMatch) {
    return root.call(sub("delete"), "DELETE", "/v1/security_groups/" + id, null, ifMatch, COLUMNS);
  }

  @Command(name = "rule-create", mixinStandardHelpOptions = true, description = "Add an allow rule to a group.")
  int ruleCreate(@Parameters(paramLabel = "GROUP") String group,
      @Option(names = "--direction", required = true, description = "ingress or egress") String direction,
      @Option(names = "--protocol", description = "tcp, udp, icmp, any (default) or a number") String protocol,
      @Option(names = "--port", paramLabel = "MIN[-MAX]", description = "tcp/udp destination ports") String ports,
      @Option(names = "--icmp-type") Integer icmpType,
      @Option(names = "--icmp-code") Integer icmpCode,
      @Option(names = "--remote-ip", paramLabel = "CIDR") String remoteIp,
      @Option(names = "--remote-group", paramLabel = "ID") String remoteGroup) {
    Integer min = null;
    Integer max = null;
    if (ports != null) {
      String[] parts = ports.split("-", 2);
      min = Integer.valueOf(parts[0].trim());
      max = parts.length == 2 ? Integer.valueOf(parts[1].trim()) : min;
    }
    Fields f = new Fields().put("security_group", group).put("direction", direction).put("protocol", protocol)
        .put("port_range_min", min).put("port_range_max", max).put("icmp_type", icmpType).put("icmp_code", icmpCode)
        .put("remote_ip_prefix", remoteIp).put("remote_group_id", remoteGroup);
    return root.call(sub("rule-create"), "POST", "/v1/security_group_rules", f.map(), null, RULE_COLUMNS);
  }

  @Command(name = "rule-list", mixinStandardHelpOptions = true, description = "List rules (of one group with --group).")
  int ruleList(@Option(names = "--group", paramLabel = "ID") String group) {
    return root.call(sub("rule-list"), "GET", "/v1/security_group_rules" + (group == null ? "" : "?security_group=" + group),
        null, null, RULE_COLUMNS);
  }

  @Command(name = "rule-delete", mixinStandardHelpOptions = true, description = "Delete a rule: connections it allowed are cut.")
  int ruleDelete(@Parameters(paramLabel = "ID") String id) {
    return root.call(sub("rule-delete"), "DELETE", "/v1/security_group_rules/" + id, null, null, RULE_COLUMNS);
  }
}
