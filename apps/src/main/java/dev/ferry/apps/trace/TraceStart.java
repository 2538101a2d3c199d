package dev.ferry.apps.trace;

import dev.ferry.apps.gateway.GatewayMac;
import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.nat.Uplink;
import java.util.Locale;
import java.util.Optional;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * Turns a packet described in model terms (from a port or from outside, to an address or a
 * port, protocol and ports) into where it enters the overlay and its header fields, the way
 * the sender would build it: a destination in the sender's subnet gets the MAC of the port
 * holding it (Ferry's ARP answer), anything else the network's gateway MAC.
 */
public final class TraceStart {

  /** A bad description, naming the field to fix. */
  public static final class BadSpec extends RuntimeException {
    public final String field;

    public BadSpec(String field, String message) {
      super(message);
      this.field = field;
    }
  }

  /**
   * What to trace. Exactly one of fromPort / fromAddress; toIp or toPort (or both: toPort's
   * MAC with toIp's address).
   *
   * @param protocol icmp (default), tcp, udp or arp
   */
  public record Spec(Port fromPort, String fromAddress, String toIp, Port toPort, String protocol,
      Integer srcPort, Integer dstPort, Integer icmpType, Integer icmpCode, String srcIp,
      String srcMac) {}

  /**
   * Where the packet enters: host and in_port, the packet, the sending port (null from outside)
   * and, when the sender could not even address it, why not (then nothing is walked).
   */
  public record Start(String host, Packet packet, Port source, String unsendable) {}

  private TraceStart() {}

  public static Start of(Model model, Bindings bindings, Spec s) {
    String proto = s.protocol() == null ? "icmp" : s.protocol().toLowerCase(Locale.ROOT);
    if (!proto.matches("icmp|tcp|udp|arp")) {
      throw new BadSpec("protocol", "protocol must be icmp, tcp, udp or arp");
    }
    if ((s.fromPort() == null) == (s.fromAddress() == null)) {
      throw new BadSpec("from_port", "give exactly one of from_port and from_address");
    }
    if (s.toIp() == null && s.toPort() == null) {
      throw new BadSpec("to_ip", "give to_ip or to_port");
    }
    String toIp = s.toIp() != null ? ip(s.toIp(), "to_ip") : s.toPort().ip();
    if (toIp == null) {
      throw new BadSpec("to_port", "port " + FlowNames.portName(s.toPort()) + " has no address");
    }
    return s.fromPort() != null ? fromPort(model, bindings, s, proto, toIp)
        : fromOutside(model, bindings, s, proto, toIp);
  }

  private static Start fromPort(Model model, Bindings bindings, Spec s, String proto, String toIp) {
    Port src = s.fromPort();
    String name = FlowNames.portName(src);
    if (src.host() == null || src.interfaceName() == null) {
      throw new BadSpec("from_port", "port " + name + " is not placed on a host");
    }
    var ofPort = bindings.ofPort(src.host(), src.interfaceName());
    if (ofPort.isEmpty()) {
      throw new BadSpec("from_port", "port " + name + " is not bound: host " + src.host()
          + (bindings.connected(src.host()) ? " reports no interface " + src.interfaceName()
          : " is not connected"));
    }
    Network net = model.networks().get(src.networkId());
    String srcMac = s.srcMac() != null ? mac(s.srcMac(), "src_mac") : src.mac();
    String srcIp = s.srcIp() != null ? ip(s.srcIp(), "src_ip") : src.ip();
    Packet p = Packet.at(ofPort.getAsInt());
    if (proto.equals("arp")) {
      p = p.eth(srcMac, "ff:ff:ff:ff:ff:ff").arp(1, srcMac, srcIp, toIp);
      return new Start(src.host(), p, src, null);
    }
    String dstMac;
    if (s.toPort() != null && s.toPort().mac() != null
        && (s.toIp() == null || s.toIp().equals(s.toPort().ip()))) {
      dstMac = s.toPort().mac();
    } else if (inSubnet(net, toIp)) {
      Optional<Port> holder = model.portsOf(net.id()).stream()
          .filter(x -> toIp.equals(x.ip())).findFirst();
      if (holder.isPresent()) {
        dstMac = holder.get().mac();
      } else if (toIp.equals(net.gatewayIp())) {
        dstMac = GatewayMac.of(net).toString();
      } else {
        return new Start(src.host(), p, src, "no port of network " + net.name() + " has address "
            + toIp + ", so " + name + "'s ARP request for it goes unanswered and nothing is sent");
      }
    } else {
      dstMac = GatewayMac.of(net).toString();
    }
    return new Start(src.host(), l4(p.eth(srcMac, dstMac).ipv4(srcIp, toIp), s, proto), src, null);
  }

  private static Start fromOutside(Model model, Bindings bindings, Spec s, String proto,
      String toIp) {
    String from = ip(s.fromAddress(), "from_address");
    if (!proto.equals("arp")) {
      for (String host : model.hosts().keySet()) {
        Optional<Uplink> u = Uplink.of(model, bindings, host);
        if (u.isPresent() && u.get().floatingIps().stream()
            .anyMatch(m -> m.publicIp().toString().equals(toIp))) {
          Packet p = Packet.at(u.get().ofPort()).eth("02:00:5e:00:00:01", u.get().mac().toString())
              .ipv4(from, toIp);
          return new Start(host, l4(p, s, proto), null, null);
        }
      }
    }
    throw new BadSpec("to_ip", "from outside, to_ip must be a floating IP whose port is bound "
        + "on a host with an uplink");
  }

  private static Packet l4(Packet p, Spec s, String proto) {
    int sp = s.srcPort() == null ? 40000 : port(s.srcPort(), "src_port");
    int dp = s.dstPort() == null ? 80 : port(s.dstPort(), "dst_port");
    return switch (proto) {
      case "tcp" -> p.tcp(sp, dp);
      case "udp" -> p.udp(sp, dp);
      default -> p.icmp(s.icmpType() == null ? 8 : byteField(s.icmpType(), "icmp_type"),
          s.icmpCode() == null ? 0 : byteField(s.icmpCode(), "icmp_code"));
    };
  }

  private static boolean inSubnet(Network n, String ip) {
    return n.cidr() != null && IPv4AddressWithMask.of(n.cidr()).matches(IPv4Address.of(ip));
  }

  private static String ip(String text, String field) {
    if (text == null || !text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      throw new BadSpec(field, field + " must be an IPv4 address, e.g. 10.1.1.2");
    }
    try {
      return IPv4Address.of(text).toString();
    } catch (IllegalArgumentException e) {
      throw new BadSpec(field, field + " must be an IPv4 address, e.g. 10.1.1.2");
    }
  }

  private static String mac(String text, String field) {
    try {
      return MacAddress.of(text).toString();
    } catch (IllegalArgumentException e) {
      throw new BadSpec(field, field + " must be a MAC address, e.g. 02:00:00:00:00:01");
    }
  }

  private static int port(int value, String field) {
    if (value < 0 || value > 65535) {
      throw new BadSpec(field, field + " must be 0..65535");
    }
    return value;
  }

  private static int byteField(int value, String field) {
    if (value < 0 || value > 255) {
      throw new BadSpec(field, field + " must be 0..255");
    }
    return value;
  }
}
