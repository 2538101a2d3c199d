package dev.ferry.apps.trace;

import dev.ferry.apps.model.FloatingIp;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.model.SecurityGroup;
import dev.ferry.apps.model.SecurityGroupRule;
import dev.ferry.apps.pipeline.FerryApp;
import dev.ferry.southbound.flow.FerryCookie;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decodes a flow's cookie into the model object that owns it: the app byte names the app, the
 * low 48 bits are the hash of the object's id ({@link FerryApp#objectHash}), looked up here
 * among the snapshot's ports, networks, floating IPs, hosts, security group rules and the
 * ports' "no rule allows it" drops ({@link dev.ferry.apps.compile.SecurityGroupFlows#dropCookie})
 * and remote-group rules' drops ({@link dev.ferry.apps.compile.SecurityGroupFlows#ruleDropCookie}).
 */
public final class FlowOwners {

  /**
   * The owner of one flow.
   *
   * @param app the app that compiled it ("l2", "port_security", ...)
   * @param kind port, network, floating_ip, host, security_group_rule, security_group_drop
   *     (a port's "no rule allows it" flow; id is the port's id), security_group_rule_drop (a
   *     remote-group rule's connections whose other end left the group; id is the rule's),
   *     pipeline (table defaults) or unknown
   * @param tenantId the owning tenant, null for infrastructure (hosts, table defaults)
   * @param detail a rule: "security group 'web': tcp/80 ingress from group 'web'"; a drop:
   *     "ingress" or "egress"; else null
   */
  public record Owner(String app, String kind, String id, String name, String tenantId,
      String networkName, String detail) {

    /** "port a1 (network web)", "network web", "rule web-80 of security group 'web' ...". */
    public String describe() {
      return switch (kind) {
        case "pipeline" -> "table default";
        case "port" -> "port " + name + (networkName == null ? "" : " (network " + networkName + ")");
        case "floating_ip" -> "floating IP " + name;
        case "security_group_rule" -> "rule " + name + " of " + detail;
        case "security_group_drop" -> "port " + name + "'s security groups, " + detail
            + ": no rule allows it";
        case "security_group_rule_drop" -> "rule " + name + " of " + detail
            + ", for connections whose other end left the remote group";
        case "unknown" -> "unknown object " + id;
        default -> kind + " " + name;
      };
    }
  }

  private final Map<Long, Owner> byHash = new HashMap<>();
  private final Model model;

  public FlowOwners(Model model) {
    this.model = model;
    for (Port p : model.ports().values()) {
      Network n = model.networks().get(p.networkId());
      put(p.id(), "port", p.name() == null ? p.id() : p.name(),
          n == null ? null : n.tenantId(), n == null ? null : n.name());
    }
    for (Network n : model.networks().values()) {
      put(n.id(), "network", n.name() == null ? n.id() : n.name(), n.tenantId(), n.name());
    }
    for (FloatingIp f : model.floatingIps().values()) {
      put(f.id(), "floating_ip", f.ip(), f.tenantId(), null);
    }
    for (Host h : model.hosts().values()) {
      put(h.name(), "host", h.name(), null, null);
    }
    for (SecurityGroupRule r : model.securityGroupRules().values()) {
      SecurityGroup g = model.securityGroups().get(r.securityGroupId());
      String detail = groupName(model, r.securityGroupId()) + ": " + RuleText.of(model, r);
      String tenant = g == null ? null : g.tenantId();
      put(r.id(), new Owner(null, "security_group_rule", r.id(), r.id(), tenant, null, detail));
      if (r.remoteGroupId() != null) {
        put(r.id() + "/drop", new Owner(null, "security_group_rule_drop", r.id(), r.id(), tenant,
            null, detail));
      }
    }
    for (Port p : model.ports().values()) {
      Network n = model.networks().get(p.networkId());
      String tenant = n == null ? null : n.tenantId();
      for (boolean ingress : new boolean[] {true, false}) {
        byHash.putIfAbsent(FerryApp.objectHash(p.id() + (ingress ? "/ingress-drop" : "/egress-drop")),
            new Owner(null, "security_group_drop", p.id(), FlowNames.portName(p), tenant,
                n == null ? null : n.name(), ingress ? "ingress" : "egress"));
      }
    }
  }

  /** "security group 'web'" (by name; the id when the group is gone). */
  static String groupName(Model model, String groupId) {
    SecurityGroup g = model.securityGroups().get(groupId);
    return "security group '" + (g == null || g.name() == null ? groupId : g.name()) + "'";
  }

  private void put(String id, String kind, String name, String tenant, String network) {
    put(id, new Owner(null, kind, id, name, tenant, network, null));
  }

  private void put(String id, Owner o) {
    byHash.putIfAbsent(FerryApp.objectHash(id), o);
  }

  /** The owner of a Ferry cookie; empty for a foreign flow. */
  public Optional<Owner> of(long cookie) {
    if (!FerryCookie.isFerry(cookie)) {
      return Optional.empty();
    }
    String app;
    try {
      app = FerryApp.byId(FerryCookie.appId(cookie)).name().toLowerCase();
    } catch (IllegalArgumentException e) {
      app = "app" + FerryCookie.appId(cookie);
    }
    long object = FerryCookie.objectId(cookie);
    if (object == 0) {
      return Optional.of(new Owner(app, "pipeline", null, null, null, null, null));
    }
    Owner o = byHash.get(object);
    if (o == null) {
      return Optional.of(new Owner(app, "unknown", Long.toHexString(object), null, null, null, null));
    }
    return Optional.of(new Owner(app, o.kind(), o.id(), o.name(), o.tenantId(), o.networkName(),
        o.detail()));
  }

  public Model model() {
    return model;
  }
}
