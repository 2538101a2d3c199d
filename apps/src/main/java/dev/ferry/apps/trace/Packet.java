package dev.ferry.apps.trace;

import java.util.LinkedHashMap;
import java.util.Map;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFMetadata;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.OFValueType;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U64;

/**
 * A packet as the OpenFlow pipeline sees it: header fields by match field, plus the pipeline
 * fields in_port, metadata and tunnel. Immutable; {@link #with} returns a changed copy.
 */
public record Packet(Map<MatchField<?>, OFValueType<?>> fields) {

  public Packet {
    fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  public static Packet at(int inPort) {
    return new Packet(Map.of(MatchField.IN_PORT, OFPort.of(inPort),
        MatchField.METADATA, OFMetadata.ofRaw(0)));
  }

  public <F extends OFValueType<F>> Packet with(MatchField<F> field, F value) {
    Map<MatchField<?>, OFValueType<?>> copy = new LinkedHashMap<>(fields);
    copy.put(field, value);
    return new Packet(copy);
  }

  /** A copy without this field (an untracked packet has no ct_state, ...). */
  public Packet without(MatchField<?> field) {
    Map<MatchField<?>, OFValueType<?>> copy = new LinkedHashMap<>(fields);
    copy.remove(field);
    return new Packet(copy);
  }

  @SuppressWarnings("unchecked")
  public <F extends OFValueType<F>> F get(MatchField<F> field) {
    return (F) fields.get(field);
  }

  public Packet tunnel(int vni) {
    return with(MatchField.TUNNEL_ID, U64.of(vni));
  }

  public Packet eth(String src, String dst) {
    return with(MatchField.ETH_SRC, MacAddress.of(src)).with(MatchField.ETH_DST, MacAddress.of(dst));
  }

  public Packet ipv4(String src, String dst) {
    return with(MatchField.ETH_TYPE, EthType.IPv4)
        .with(MatchField.IPV4_SRC, IPv4Address.of(src))
        .with(MatchField.IPV4_DST, IPv4Address.of(dst))
        .with(MatchField.IP_PROTO, IpProtocol.ICMP);
  }

  public Packet udp(int srcPort, int dstPort) {
    return with(MatchField.IP_PROTO, IpProtocol.UDP)
        .with(MatchField.UDP_SRC, TransportPort.of(srcPort))
        .with(MatchField.UDP_DST, TransportPort.of(dstPort));
  }

  public Packet tcp(int srcPort, int dstPort) {
    return with(MatchField.IP_PROTO, IpProtocol.TCP)
        .with(MatchField.TCP_SRC, TransportPort.of(srcPort))
        .with(MatchField.TCP_DST, TransportPort.of(dstPort));
  }

  public Packet icmp(int type, int code) {
    return with(MatchField.IP_PROTO, IpProtocol.ICMP)
        .with(MatchField.ICMPV4_TYPE, org.projectfloodlight.openflow.types.ICMPv4Type.of((short) type))
        .with(MatchField.ICMPV4_CODE, org.projectfloodlight.openflow.types.ICMPv4Code.of((short) code));
  }

  public Packet arp(int op, String sha, String spa, String tpa) {
    return with(MatchField.ETH_TYPE, EthType.ARP)
        .with(MatchField.ARP_OP, ArpOpcode.of(op))
        .with(MatchField.ARP_SHA, MacAddress.of(sha))
        .with(MatchField.ARP_SPA, IPv4Address.of(spa))
        .with(MatchField.ARP_THA, MacAddress.NONE)
        .with(MatchField.ARP_TPA, IPv4Address.of(tpa));
  }

  public int inPort() {
    return get(MatchField.IN_PORT).getPortNumber();
  }

  public long metadata() {
    return get(MatchField.METADATA).getValue().getValue();
  }

  /** The VNI set on the packet (by the tunnel it came from, or by set_field), or 0. */
  public long tunnelId() {
    U64 id = get(MatchField.TUNNEL_ID);
    return id == null ? 0 : id.getValue();
  }

  public String tunnelDst() {
    IPv4Address dst = get(MatchField.TUNNEL_IPV4_DST);
    return dst == null ? null : dst.toString();
  }
}
