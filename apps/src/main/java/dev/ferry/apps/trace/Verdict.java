package dev.ferry.apps.trace;

import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.trace.OverlayTrace.Kind;
import dev.ferry.apps.trace.OverlayTrace.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * The one-sentence answer to "where did my packet go?", from the outcomes of an
 * {@link OverlayTrace}. Drops are explained by the table that dropped them, in model terms;
 * objects of tenants the caller may not see are never named.
 */
public final class Verdict {
  private final Model model;
  private final FlowOwners owners;
  private final Predicate<String> sees;

  /** @param sees whether the caller may see objects of a tenant (by id) */
  public Verdict(Model model, FlowOwners owners, Predicate<String> sees) {
    this.model = model;
    this.owners = owners;
    this.sees = sees;
  }

  /** @param source the port the packet was sent from, null for a packet from outside */
  public String of(OverlayTrace.Result result, Port source) {
    List<String> delivered = new ArrayList<>();
    List<String> other = new ArrayList<>();
    for (Outcome o : result.outcomes()) {
      switch (o.kind()) {
        case DELIVERED -> delivered.add((o.port() != null ? "port " + FlowNames.portName(o.port())
            : "interface " + o.iface()) + " on " + o.host() + why(result, o.host()));
        case ANSWERED -> other.add("answered by " + o.host() + "'s switch in " + o.last().table()
            + owner(o) + ": the reply goes back to " + (o.port() != null
            ? "port " + FlowNames.portName(o.port()) : "interface " + o.iface()));
        case UPLINK -> other.add("sent to the outside via the uplink of " + o.host() + " as "
            + o.packet().get(MatchField.IPV4_SRC) + natKind(o));
        case CONTROLLER -> other.add("sent to the controller from " + o.last().table()
            + " on " + o.host() + owner(o) + ": Ferry answers it itself");
        case DROPPED -> other.add(dropped(o, source));
        case LOST -> other.add("lost: " + o.note());
        case STOPPED -> other.add("not traced further in " + o.last().table() + " on " + o.host()
            + ": " + o.note());
        default -> throw new IllegalStateException();
      }
    }
    List<String> parts = new ArrayList<>();
    if (!delivered.isEmpty()) {
      parts.add("delivered to " + String.join(", ", delivered));
    }
    parts.addAll(other);
    return parts.isEmpty() ? "dropped" : String.join("; ", parts);
  }

  /** " (SNAT)" or " (floating IP)": which NAT flow sent it out, by the owner of its cookie. */
  private String natKind(Outcome o) {
    var w = o.last() == null || o.last().flow() == null ? Optional.<FlowOwners.Owner>empty()
        : owners.of(o.last().flow().cookie());
    if (w.isEmpty() || !"nat".equals(w.get().app())) {
      return "";
    }
    return w.get().kind().equals("floating_ip") ? " (floating IP)" : " (SNAT)";
  }

  /** " (floating IP ...; allowed by security group 'web': tcp/80 ingress from anywhere)". */
  private String why(OverlayTrace.Result result, String host) {
    List<String> notes = new ArrayList<>();
    throughNat(result, host).ifPresent(notes::add);
    allowedBy(result, host).ifPresent(notes::add);
    return notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")";
  }

  /** The security group rule whose flow let the packet in on this host, if the caller sees it. */
  private Optional<String> allowedBy(OverlayTrace.Result result, String host) {
    return result.hops().stream()
        .filter(h -> h.host().equals(host) && h.flow() != null && h.table().equals("ingress_acl"))
        .map(h -> owners.of(h.flow().cookie())).flatMap(Optional::stream)
        .filter(w -> w.kind().equals("security_group_rule"))
        .filter(w -> w.tenantId() == null || sees.test(w.tenantId()))
        .map(w -> "allowed by " + w.detail()).reduce((a, b) -> b);
  }

  /**
   * "floating IP 198.51.100.7" when the packet came in from the outside through a floating
   * IP's flow on this host, "reply through SNAT" for a reply to a port's SNAT address.
   */
  private Optional<String> throughNat(OverlayTrace.Result result, String host) {
    for (OverlayTrace.Hop h : result.hops()) {
      if (!h.host().equals(host) || h.flow() == null || !h.table().equals("classify")) {
        continue;
      }
      var w = owners.of(h.flow().cookie());
      if (w.isPresent() && "nat".equals(w.get().app()) && w.get().kind().equals("floating_ip")) {
        return Optional.of("floating IP " + w.get().name());
      }
      if (w.isPresent() && "nat".equals(w.get().app()) && w.get().kind().equals("port")) {
        return Optional.of("reply through SNAT");
      }
    }
    return Optional.empty();
  }

  private String owner(Outcome o) {
    if (o.last() == null || o.last().flow() == null) {
      return "";
    }
    return owners.of(o.last().flow().cookie())
        .filter(w -> w.tenantId() == null || sees.test(w.tenantId()))
        .filter(w -> !w.kind().equals("pipeline"))
        .map(w -> " (" + w.describe() + ")").orElse("");
  }

  private String dropped(Outcome o, Port source) {
    String table = o.last() == null ? "?" : o.last().table();
    Packet p = o.last() == null ? o.packet() : o.last().packet();
    String prefix = "dropped in " + table + (o.host() == null ? "" : " on " + o.host()) + ": ";
    Optional<Network> net = model.networkByVni(dev.ferry.apps.pipeline.NetworkMetadata
        .vniOf(p.metadata()));
    String netName = net.map(n -> "network " + n.name()).orElse("the network");
    return prefix + switch (table) {
      case "classify" -> "the packet's in_port is neither a bound port nor a tunnel with a VNI "
          + "this host serves";
      case "port_security" -> spoof(p, source);
      case "l2_forward" -> l2Miss(p, net, netName);
      case "neighbor" -> "no port of " + netName + " has address " + p.get(MatchField.IPV4_DST);
      case "routing" -> "no route from " + netName + " to " + p.get(MatchField.IPV4_DST)
          + " (not a network of this tenant's router, and no uplink for this port)";
      case "nat" -> "north-south needs the uplink's next hop MAC, which Ferry has not resolved";
      case "egress_acl", "ingress_acl" -> securityGroups(o, p);
      default -> "no flow passes it" + owner(o);
    };
  }

  /**
   * "no rule of security group 'web' allows tcp/22 ingress to port b2", from the owner of the
   * port's drop flow; a port of a tenant the caller may not see stays unnamed.
   */
  private String securityGroups(Outcome o, Packet p) {
    Optional<FlowOwners.Owner> w = o.last() == null || o.last().flow() == null ? Optional.empty()
        : owners.of(o.last().flow().cookie());
    if (w.isPresent() && w.get().kind().equals("network")) {
      return "conntrack marks the packet invalid (not part of a connection it can follow)";
    }
    if (w.isPresent() && w.get().kind().equals("security_group_rule_drop")) {
      return w.get().tenantId() != null && !sees.test(w.get().tenantId())
          ? "the destination's security groups no longer allow this connection"
          : "the connection was allowed by " + w.get().detail() + ", but its other end is no "
              + "longer in that group";
    }
    if (w.isEmpty() || !w.get().kind().equals("security_group_drop")) {
      return "no flow passes it" + owner(o);
    }
    boolean ingress = "ingress".equals(w.get().detail());
    String what = RuleText.of(p) + " " + w.get().detail();
    if (w.get().tenantId() != null && !sees.test(w.get().tenantId())) {
      return "the destination's security groups allow no " + what;
    }
    Port port = model.ports().get(w.get().id());
    List<String> groups = port == null ? List.of() : port.groupsOr(w.get().tenantId()).stream()
        .map(g -> FlowOwners.groupName(model, g).substring("security group ".length())).toList();
    String of = groups.isEmpty() ? "port " + w.get().name() + "'s security groups"
        : groups.size() == 1 ? "security group " + groups.get(0)
        : "security groups " + String.join(", ", groups.subList(0, groups.size() - 1)) + " and "
            + groups.get(groups.size() - 1);
    return "no rule of " + of + " allows " + what + (ingress ? " to" : " from") + " port "
        + w.get().name();
  }

  private static String spoof(Packet p, Port source) {
    if (source == null) {
      return "the packet's source is not the sending port's address";
    }
    String name = FlowNames.portName(source);
    MacAddress mac = p.get(MatchField.ETH_SRC);
    if (mac != null && !mac.equals(MacAddress.of(source.mac()))) {
      return "source MAC " + mac + " is not port " + name + "'s MAC (" + source.mac() + ")";
    }
    IPv4Address ip = p.get(MatchField.IPV4_SRC);
    if (ip == null) {
      ip = p.get(MatchField.ARP_SPA);
    }
    if (ip != null && !ip.equals(IPv4Address.of(source.ip()))) {
      return "source " + ip + " is not port " + name + "'s address (" + source.ip() + ")";
    }
    return "port " + name + " may not send this packet";
  }

  private String l2Miss(Packet p, Optional<Network> net, String netName) {
    MacAddress dst = p.get(MatchField.ETH_DST);
    Optional<Port> owner = model.ports().values().stream()
        .filter(x -> dst != null && dst.equals(MacAddress.of(x.mac())))
        .filter(x -> net.isEmpty() || !x.networkId().equals(net.get().id()))
        .findFirst();
    if (owner.isPresent()) {
      Network other = model.networks().get(owner.get().networkId());
      if (other != null && sees.test(other.tenantId())) {
        String whose = net.isPresent() && !other.tenantId().equals(net.get().tenantId())
            ? " of another tenant" : "";
        return dst + " is port " + FlowNames.portName(owner.get()) + " of network "
            + other.name() + whose + ", which " + netName + " does not reach at layer 2 "
            + "(isolation)";
      }
    }
    Optional<Port> own = model.ports().values().stream()
        .filter(x -> dst != null && dst.equals(MacAddress.of(x.mac())))
        .filter(x -> net.isPresent() && x.networkId().equals(net.get().id())).findFirst();
    if (own.isPresent()) {
      return dst + " is port " + FlowNames.portName(own.get()) + " of " + netName
          + ", but no flow here forwards to it (port not bound, or a flow missing on the switch)";
    }
    return "no port of " + netName + " has MAC " + dst;
  }
}
