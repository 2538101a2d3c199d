package dev.ferry.controller.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.apps.model.SecurityGroup;
import dev.ferry.apps.model.SecurityGroupRule;
import dev.ferry.controller.store.Rejection;
import dev.ferry.controller.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
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

  SecurityGroupRoutes(Store store) {
    this.store = store;
  }

  @Override
  public void register(Javalin app) {
    app.get("/v1/security_groups", this::listGroups);
    app.post("/v1/security_groups", this::createGroup);
    app.get("/v1/security_groups/{id}", ctx -> {
      SecurityGroup g = visibleGroup(ctx);
      Requests.ok(ctx, g.revision(), view(g));
    });
    app.put("/v1/security_groups/{id}", ctx -> updateGroup(ctx, false));
    app.patch("/v1/security_groups/{id}", ctx -> updateGroup(ctx, true));
    app.delete("/v1/security_groups/{id}", this::deleteGroup);
    app.get("/v1/security_group_rules", this::listRules);
    app.post("/v1/security_group_rules", this::createRule);
    app.get("/v1/security_group_rules/{id}", ctx -> {
      SecurityGroupRule r = visibleRule(ctx);
      Requests.ok(ctx, r.revision(), view(r));
    });
    app.delete("/v1/security_group_rules/{id}", this::deleteRule);
  }

  // ---- groups

  private GroupView view(SecurityGroup g) {
    return new GroupView(g.id(), g.tenantId(), g.name(), g.description(),
        store.securityGroupRules().stream().filter(r -> r.securityGroupId().equals(g.id())).map(this::view).toList(),
        g.revision());
  }

  private void listGroups(Context ctx) {
    Principal p = RestAuth.principal(ctx);
    Requests.onlyFilters(ctx, "tenant", "name");
    String tenant = ctx.queryParam("tenant");
    String name = ctx.queryParam("name");
    ctx.json(store.securityGroups().stream()
        .filter(g -> p.sees(g.tenantId()))
        .filter(g -> tenant == null || tenant.equals(g.tenantId()))
        .filter(g -> name == null || name.equals(g.name()))
        .map(this::view).toList());
  }

  private void createGroup(Context ctx) {
    Principal p = RestAuth.principal(ctx);
    GroupInput in = Json.bind(Json.object(ctx.body()), GroupInput.class);
    String tenant = Scope.tenantForCreate(p, in.tenant());
    Scope.generatedIdUnlessAdmin(p, in.id());
    SecurityGroup g = store.createSecurityGroup(new SecurityGroup(in.id(), tenant, in.name(), in.description(), 0));
    Requests.created(ctx, "/v1/security_groups/" + g.id(), g.revision(), view(g));
  }

  private SecurityGroup visibleGroup(Context ctx) {
    String id = ctx.pathParam("id");
    Principal p = RestAuth.principal(ctx);
    return store.securityGroup(id).filter(g -> p.sees(g.tenantId()))
        .orElseThrow(() -> Rejection.notFound("security group", id));
  }

  private void updateGroup(Context ctx, boolean patch) {
    SecurityGroup old = visibleGroup(ctx);
    ObjectNode body = Json.object(ctx.body());
    if (patch) {
      body = Json.mergePatch(Json.tree(new GroupInput(old.id(), old.tenantId(), old.name(), old.description())), body);
    }
    GroupInput in = Json.bind(body, GroupInput.class);
    Requests.sameId(in.id(), old.id());
    if (in.tenant() != null && !Objects.equals(in.tenant(), old.tenantId())) {
      throw Rejection.invalid("tenant", "a security group cannot move to another tenant");
    }
    SecurityGroup g = store.updateSecurityGroup(
        new SecurityGroup(old.id(), old.tenantId(), in.name(), in.description(), 0), Requests.ifMatch(ctx));
    Requests.ok(ctx, g.revision(), view(g));
  }

  private void deleteGroup(Context ctx) {
    Principal p = RestAuth.principal(ctx);
    String id = ctx.pathParam("id");
    boolean visible = store.securityGroup(id).filter(g -> p.sees(g.tenantId())).isPresent();
    Requests.deleted(ctx, visible && store.deleteSecurityGroup(id, Requests.ifMatch(ctx)), "security group", id);
  }

  // ---- rules

  private String tenantOf(SecurityGroupRule r) {
    return store.securityGroup(r.securityGroupId()).map(SecurityGroup::tenantId).orElse(null);
  }

  private RuleView view(SecurityGroupRule r) {
    return new RuleView(r.id(), r.securityGroupId(), tenantOf(r), r.direction(), "IPv4",
        protocolName(r.protocol()), r.portRangeMin(), r.portRangeMax(), r.icmpType(), r.icmpCode(),
        r.remoteIpPrefix(), r.remoteGroupId(), r.revision());
  }

  private void listRules(Context ctx) {
    Principal p = RestAuth.principal(ctx);
    Requests.onlyFilters(ctx, "security_group", "direction");
    String group = ctx.queryParam("security_group");
    String direction = ctx.queryParam("direction");
    ctx.json(store.securityGroupRules().stream()
        .filter(r -> p.sees(tenantOf(r)))
        .filter(r -> group == null || group.equals(r.securityGroupId()))
        .filter(r -> direction == null || direction.equals(r.direction()))
        .map(this::view).toList());
  }

  private void createRule(Context ctx) {
    Principal p = RestAuth.principal(ctx);
    RuleInput in = Json.bind(Json.object(ctx.body()), RuleInput.class);
    Scope.generatedIdUnlessAdmin(p, in.id());
    if (in.securityGroup() == null) {
      throw Rejection.invalid("security_group", "security_group is required");
    }
    store.securityGroup(in.securityGroup()).filter(g -> p.sees(g.tenantId())).orElseThrow(() ->
        new Rejection(Rejection.Reason.NOT_FOUND, "not_found", "security_group",
            "security group '" + in.securityGroup() + "' not found"));
    if (in.ethertype() != null && !in.ethertype().equals("IPv4")) {
      throw Rejection.invalid("ethertype", "only IPv4 is supported");
    }
    SecurityGroupRule r = store.createSecurityGroupRule(new SecurityGroupRule(in.id(), in.securityGroup(),
        in.direction(), protocolNumber(in.protocol()), in.portRangeMin(), in.portRangeMax(), in.icmpType(),
        in.icmpCode(), in.remoteIpPrefix(), in.remoteGroupId(), 0));
    Requests.created(ctx, "/v1/security_group_rules/" + r.id(), r.revision(), view(r));
  }

  private SecurityGroupRule visibleRule(Context ctx) {
    String id = ctx.pathParam("id");
    Principal p = RestAuth.principal(ctx);
    return store.securityGroupRule(id).filter(r -> p.sees(tenantOf(r)))
        .orElseThrow(() -> Rejection.notFound("security group rule", id));
  }

  private void deleteRule(Context ctx) {
    Principal p = RestAuth.principal(ctx);
    String id = ctx.pathParam("id");
    boolean visible = store.securityGroupRule(id).filter(r -> p.sees(tenantOf(r))).isPresent();
    Requests.deleted(ctx, visible && store.deleteSecurityGroupRule(id, Requests.ifMatch(ctx)), "security group rule", id);
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
