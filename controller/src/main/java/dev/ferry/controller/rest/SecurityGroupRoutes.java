package dev.ferry.controller.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.ferry.apps.model.SecurityGroup;
import dev.ferry.apps.model.SecurityGroupRule;
import dev.ferry.controller.store.Rejection;
import dev.ferry.controller.store.Resource;
import dev.ferry.controller.store.Store;
import io.javalin.Javalin;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * /v1/security_groups and /v1/security_group_rules, in Neutron's shape: a group is a tenant's
 * (name, description) with its rules listed in the view; rules are created and deleted, never
 * changed. Another tenant's group or rule reads exactly like one that does not exist (404).
 */
final class SecurityGroupRoutes implements RestRoutes {

  @JsonIgnoreProperties({"revision", "security_group_rules"})
  record GroupInput(String id, String tenant, String name, String description) {}

  record GroupView(String id, String tenant, String name, String description,
      List<RuleView> securityGroupRules, long revision) {}

  @JsonIgnoreProperties({"revision", "tenant"})
  record RuleInput(String id, String securityGroup, String direction, String ethertype, String protocol,
      Integer portRangeMin, Integer portRangeMax, Integer icmpType, Integer icmpCode,
      String remoteIpPrefix, String remoteGroupId) {}

  record RuleView(String id, String securityGroup, String tenant, String direction, String ethertype,
      String protocol, Integer portRangeMin, Integer portRangeMax, Integer icmpType, Integer icmpCode,
      String remoteIpPrefix, String remoteGroupId, long revision) {}

  private final Store store;

  private final Rules rules = new Rules();

  SecurityGroupRoutes(Store store) {
    this.store = store;
  }

  @Override
  public void register(Javalin app) {
    new ResourceRoutes<>(store, Resource.SECURITY_GROUPS, "/v1/security_groups", GroupInput.class, new Groups()).register(app);
    new ResourceRoutes<>(store, Resource.SECURITY_GROUP_RULES, "/v1/security_group_rules", RuleInput.class, rules).register(app);
  }

  private final class Groups implements ResourceRoutes.Spec<SecurityGroup, GroupInput> {
    @Override
    public boolean sees(Principal p, SecurityGroup g) {
      return p.sees(g.tenantId());
    }

    @Override
    public Map<String, BiPredicate<SecurityGroup, String>> filters() {
      return Map.of("tenant", (g, tenant) -> tenant.equals(g.tenantId()), "name", (g, name) -> name.equals(g.name()));
    }


    @Override
    public GroupInput inputOf(SecurityGroup g) {
      return new GroupInput(g.id(), g.tenantId(), g.name(), g.description());
    }

    @Override
    public SecurityGroup toRecord(Principal p, GroupInput in, SecurityGroup old) {
      if (old == null) {
        String tenant = Scope.tenantForCreate(p, in.tenant());
        Scope.generatedIdUnlessAdmin(p, in.id());
        return new SecurityGroup(in.id(), tenant, in.name(), in.description(), 0);
      }
      Requests.sameId(in.id(), old.id());
      if (in.tenant() != null && !Objects.equals(in.tenant(), old.tenantId())) {
        throw Rejection.invalid("tenant", "a security group cannot move to another tenant");
      }
      return new SecurityGroup(old.id(), old.tenantId(), in.name(), in.description(), 0);
    }

    @Override
    public GroupView view(SecurityGroup g) {
      return new GroupView(g.id(), g.tenantId(), g.name(), g.description(),
          store.list(Resource.SECURITY_GROUP_RULES).stream().filter(r -> r.securityGroupId().equals(g.id())).map(rules::view).toList(),
          g.revision());
    }
  }

  private final class Rules implements ResourceRoutes.Spec<SecurityGroupRule, RuleInput> {
    @Override
    public boolean sees(Principal p, SecurityGroupRule r) {
      return p.sees(tenantOf(r));
    }

    @Override
    public Map<String, BiPredicate<SecurityGroupRule, String>> filters() {
      return Map.of("security_group", (r, group) -> group.equals(r.securityGroupId()),
          "direction", (r, direction) -> direction.equals(r.direction()));
    }


    @Override
    public RuleInput inputOf(SecurityGroupRule r) {
      throw new UnsupportedOperationException("rules are immutable");
    }

    @Override
    public boolean updatable() {
      return false;
    }

    @Override
    public SecurityGroupRule toRecord(Principal p, RuleInput in, SecurityGroupRule old) {
      Scope.generatedIdUnlessAdmin(p, in.id());
      if (in.securityGroup() == null) {
        throw Rejection.invalid("security_group", "security_group is required");
      }
      store.get(Resource.SECURITY_GROUPS, in.securityGroup()).filter(g -> p.sees(g.tenantId())).orElseThrow(() ->
          new Rejection(Rejection.Reason.NOT_FOUND, "not_found", "security_group",
              "security group '" + in.securityGroup() + "' not found"));
      if (in.ethertype() != null && !in.ethertype().equals("IPv4")) {
        throw Rejection.invalid("ethertype", "only IPv4 is supported");
      }
      return new SecurityGroupRule(in.id(), in.securityGroup(), in.direction(), protocolNumber(in.protocol()),
          in.portRangeMin(), in.portRangeMax(), in.icmpType(), in.icmpCode(), in.remoteIpPrefix(),
          in.remoteGroupId(), 0);
    }

    @Override
    public RuleView view(SecurityGroupRule r) {
      return new RuleView(r.id(), r.securityGroupId(), tenantOf(r), r.direction(), "IPv4",
          protocolName(r.protocol()), r.portRangeMin(), r.portRangeMax(), r.icmpType(), r.icmpCode(),
          r.remoteIpPrefix(), r.remoteGroupId(), r.revision());
    }
  }

  private String tenantOf(SecurityGroupRule r) {
    return store.get(Resource.SECURITY_GROUPS, r.securityGroupId()).map(SecurityGroup::tenantId).orElse(null);
  }

  /** "tcp", "udp", "icmp", "any" (or absent) or a number 0..255, as Neutron takes them. */
  static Integer protocolNumber(String protocol) {
    if (protocol == null || protocol.equals("any")) {
      return null;
    }
    switch (protocol.toLowerCase(Locale.ROOT)) {
      case "tcp": return SecurityGroupRule.TCP;
      case "udp": return SecurityGroupRule.UDP;
      case "icmp": return SecurityGroupRule.ICMP;
      default:
        if (protocol.matches("\\d{1,3}") && Integer.parseInt(protocol) <= 255) {
          return Integer.parseInt(protocol);
        }
        throw Rejection.invalid("protocol", "'" + protocol + "' is not tcp, udp, icmp, any or 0..255");
    }
  }

  static String protocolName(Integer protocol) {
    if (protocol == null) {
      return "any";
    }
    return switch (protocol) {
      case SecurityGroupRule.TCP -> "tcp";
      case SecurityGroupRule.UDP -> "udp";
      case SecurityGroupRule.ICMP -> "icmp";
      default -> Integer.toString(protocol);
    };
  }
}
