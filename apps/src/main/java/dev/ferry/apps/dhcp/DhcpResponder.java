package dev.ferry.apps.dhcp;

import dev.ferry.apps.gateway.GatewayMac;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.packet.Ipv4Frame;
import dev.ferry.apps.packet.UdpDatagram;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;

/**
 * Ferry's DHCP server, pure: a port's address comes from the model, so there is no pool and no
 * lease state. DISCOVER gets an OFFER, REQUEST for the port's address an ACK (another address:
 * NAK; another server chosen: silence), INFORM an ACK with configuration only, RELEASE and
 * DECLINE nothing. The server is the network's gateway (its IP and virtual MAC).
 * The caller passes the port whose in_port the request came from; only its MAC is answered.
 */
public final class DhcpResponder {
  static final int DISCOVER = 1;
  static final int OFFER = 2;
  static final int REQUEST = 3;
  static final int ACK = 5;
  static final int NAK = 6;
  static final int INFORM = 8;
  /**
   * Addresses are fixed by the model; the lease only paces renewals. A client renews at half
   * the lease (T1, unicast to the gateway address) and rebinds at 7/8 (T2, broadcast); it keeps
   * its address while the controller is away for up to the lease after its last renewal, so
   * at least lease/2 whenever the outage starts (docs/gateway.md).
   */
  public static final int LEASE_SECONDS = 86400;
  private static final int SERVER_PORT = 67;
  private static final int CLIENT_PORT = 68;

  private DhcpResponder() {}

  public static Optional<byte[]> answer(Network network, Port port, byte[] requestFrame) {
    return answer(network, port, requestFrame, LEASE_SECONDS);
  }

  /** The same with another lease time in seconds (Ferry's --dhcp-lease-seconds). */
  public static Optional<byte[]> answer(Network network, Port port, byte[] requestFrame, int leaseSeconds) {
    if (!network.dhcp() || port.ip() == null || network.gatewayIp() == null) {
      return Optional.empty();
    }
    return Ipv4Frame.parse(requestFrame)
        .flatMap(UdpDatagram::parse)
        .filter(udp -> udp.srcPort() == CLIENT_PORT && udp.dstPort() == SERVER_PORT)
        .flatMap(udp -> DhcpMessage.parse(udp.payload()))
        .filter(m -> m.op() == DhcpMessage.BOOTREQUEST
            && m.chaddr().toString().equals(port.mac()))
        .flatMap(m -> reply(network, port, m, leaseSeconds))
        .map(reply -> frame(network, port, reply));
  }

  private static Optional<DhcpMessage> reply(Network network, Port port, DhcpMessage m, int leaseSeconds) {
    int type = m.messageType().orElse(0);
    IPv4Address gateway = IPv4Address.of(network.gatewayIp());
    IPv4Address mine = IPv4Address.of(port.ip());
    if (type == DISCOVER) {
      return Optional.of(message(m, OFFER, mine, network, port, leaseSeconds));
    } else if (type == REQUEST) {
      if (m.ipOption(DhcpMessage.OPT_SERVER_ID).filter(s -> !s.equals(gateway)).isPresent()) {
        return Optional.empty();
      }
      IPv4Address asked = m.ipOption(DhcpMessage.OPT_REQUESTED_IP).orElse(m.ciaddr());
      return Optional.of(asked.equals(mine) ? message(m, ACK, mine, network, port, leaseSeconds)
          : nak(m, gateway));
    } else if (type == INFORM) {
      return Optional.of(message(m, ACK, IPv4Address.NONE, network, port, 0));
    }
    return Optional.empty();
  }

  private static DhcpMessage message(DhcpMessage req, int type, IPv4Address yiaddr,
      Network network, Port port, int leaseSeconds) {
    Map<Integer, byte[]> o = new LinkedHashMap<>();
    IPv4Address gateway = IPv4Address.of(network.gatewayIp());
    o.put(DhcpMessage.OPT_MESSAGE_TYPE, new byte[] {(byte) type});
    o.put(DhcpMessage.OPT_SERVER_ID, gateway.getBytes());
    if (leaseSeconds > 0) { // 0: INFORM, configuration without a lease
      o.put(DhcpMessage.OPT_LEASE_TIME, ByteBuffer.allocate(4).putInt(leaseSeconds).array());
    }
    o.put(DhcpMessage.OPT_SUBNET_MASK,
        IPv4AddressWithMask.of(network.cidr()).getMask().getBytes());
    o.put(DhcpMessage.OPT_ROUTER, gateway.getBytes());
    if (!network.dnsServers().isEmpty()) {
      o.put(DhcpMessage.OPT_DNS, addresses(network));
    }
    o.put(DhcpMessage.OPT_MTU, ByteBuffer.allocate(2).putShort((short) network.mtu()).array());
    hostname(port).ifPresent(h -> o.put(DhcpMessage.OPT_HOSTNAME, h));
    return new DhcpMessage(DhcpMessage.BOOTREPLY, req.xid(), req.flags(), req.ciaddr(), yiaddr,
        IPv4Address.NONE, req.giaddr(), req.chaddr(), o);
  }

  private static DhcpMessage nak(DhcpMessage req, IPv4Address gateway) {
    Map<Integer, byte[]> o = new LinkedHashMap<>();
    o.put(DhcpMessage.OPT_MESSAGE_TYPE, new byte[] {(byte) NAK});
    o.put(DhcpMessage.OPT_SERVER_ID, gateway.getBytes());
    return new DhcpMessage(DhcpMessage.BOOTREPLY, req.xid(), req.flags() | DhcpMessage.BROADCAST_FLAG,
        IPv4Address.NONE, IPv4Address.NONE, IPv4Address.NONE, req.giaddr(), req.chaddr(), o);
  }

  private static byte[] addresses(Network network) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    network.dnsServers().stream().limit(63).forEach(d -> out.writeBytes(IPv4Address.of(d).getBytes()));
    return out.toByteArray();
  }

  /** RFC 2132 3.14: at least one byte; over-long names are cut to the option's 255 bytes. */
  private static Optional<byte[]> hostname(Port port) {
    if (port.name() == null || port.name().isEmpty()) {
      return Optional.empty();
    }
    byte[] name = port.name().getBytes(StandardCharsets.US_ASCII);
    return Optional.of(name.length > 255 ? java.util.Arrays.copyOf(name, 255) : name);
  }

  /**
   * RFC 2131 4.1: to ciaddr when the client has one (INFORM, renewal), to the broadcast
   * address when the client asked for it (or on NAK), else to the offered address. The frame
   * goes out of the client's own port, so the Ethernet destination is always its MAC.
   */
  private static byte[] frame(Network network, Port port, DhcpMessage reply) {
    IPv4Address src = IPv4Address.of(network.gatewayIp());
    IPv4Address dst = !reply.ciaddr().equals(IPv4Address.NONE) ? reply.ciaddr()
        : (reply.flags() & DhcpMessage.BROADCAST_FLAG) != 0 ? IPv4Address.NO_MASK
        : reply.yiaddr();
    byte[] udp = new UdpDatagram(SERVER_PORT, CLIENT_PORT, reply.encode()).encode(src, dst);
    return new Ipv4Frame(GatewayMac.of(network), reply.chaddr(), src, dst, Ipv4Frame.UDP, 64, udp)
        .toFrame();
  }
}
