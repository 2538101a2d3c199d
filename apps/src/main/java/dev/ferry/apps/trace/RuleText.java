package dev.ferry.apps.trace;

import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.SecurityGroupRule;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.IpProtocol;

/**
 * Security group rules and packets in the words a verdict uses: "tcp/80 ingress from group
 * 'web'", "tcp/22 ingress", "icmp (type 8) egress".
 */
final class RuleText {
  private RuleText() {}

  /** What a rule allows: protocol and ports, direction, the other end. */
  static String of(Model model, SecurityGroupRule r) {
    String what = protocol(r.protocol());
    if (r.portRangeMin() != null && r.protocol() != null
        && (r.protocol() == SecurityGroupRule.TCP || r.protocol() == SecurityGroupRule.UDP)) {
      int max = r.portRangeMax() == null ? r.portRangeMin() : r.portRangeMax();
      what += "/" + r.portRangeMin() + (max == r.portRangeMin() ? "" : "-" + max);
    } else if (r.icmpType() != null) {
      what += " (type " + r.icmpType() + (r.icmpCode() == null ? "" : " code " + r.icmpCode()) + ")";
    }
    String toward = r.ingress() ? " from " : " to ";
    String other = r.remoteGroupId() != null
        ? toward + FlowOwners.groupName(model, r.remoteGroupId()).replace("security group", "group")
        : r.remoteIpPrefix() != null && !r.remoteIpPrefix().endsWith("/0")
            ? toward + r.remoteIpPrefix() : toward + "anywhere";
    return what + " " + r.direction() + other;
  }

  /** What a packet is, as a rule would name it: "tcp/22", "udp/53", "icmp (type 8)". */
  static String of(Packet p) {
    IpProtocol proto = p.get(MatchField.IP_PROTO);
    if (proto == null) {
      return "this packet";
    }
    if (proto.equals(IpProtocol.TCP) && p.get(MatchField.TCP_DST) != null) {
      return "tcp/" + p.get(MatchField.TCP_DST).getPort();
    }
    if (proto.equals(IpProtocol.UDP) && p.get(MatchField.UDP_DST) != null) {
      return "udp/" + p.get(MatchField.UDP_DST).getPort();
    }
    if (proto.equals(IpProtocol.ICMP) && p.get(MatchField.ICMPV4_TYPE) != null) {
      return "icmp (type " + p.get(MatchField.ICMPV4_TYPE).getType() + ")";
    }
    return protocol((int) proto.getIpProtocolNumber());
  }

  private static String protocol(Integer number) {
    if (number == null) {
      return "any";
    }
    return switch (number) {
      case SecurityGroupRule.TCP -> "tcp";
      case SecurityGroupRule.UDP -> "udp";
      case SecurityGroupRule.ICMP -> "icmp";
      default -> "protocol " + number;
    };
  }
}
