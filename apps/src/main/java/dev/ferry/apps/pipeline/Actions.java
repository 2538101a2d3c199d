package dev.ferry.apps.pipeline;

import static dev.ferry.apps.pipeline.OpenFlow.OF13;

import java.util.List;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import dev.ferry.southbound.nicira.NiciraRegMove;
import dev.ferry.southbound.nicira.NiciraRegMove.Field;
import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.ICMPv4Type;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

/** The few actions the pipeline uses, spelled once. */
public final class Actions {
  /** Send whole packets to the controller: ARP/DHCP frames are small anyway. */
  public static final int NO_BUFFER = 0xffff;

  private Actions() {}

  public static OFAction output(int ofPort) {
    return OF13.actions().output(OFPort.of(ofPort), 0);
  }

  public static OFAction toController() {
    return OF13.actions().output(OFPort.CONTROLLER, NO_BUFFER);
  }

  public static OFAction group(long groupId) {
    return OF13.actions().group(OFGroup.of((int) groupId));
  }

  /** Decrement the IPv4 TTL; OVS drops the packet when it reaches zero. */
  public static OFAction decTtl() {
    return OF13.actions().decNwTtl();
  }

  public static OFAction setEthSrc(MacAddress mac) {
    return OF13.actions().setField(OF13.oxms().ethSrc(mac));
  }

  public static OFAction setEthDst(MacAddress mac) {
    return OF13.actions().setField(OF13.oxms().ethDst(mac));
  }

  public static OFAction setIpv4Src(IPv4Address ip) {
    return OF13.actions().setField(OF13.oxms().ipv4Src(ip));
  }

  public static OFAction setIpv4Dst(IPv4Address ip) {
    return OF13.actions().setField(OF13.oxms().ipv4Dst(ip));
  }

  /** Back out of the port the packet came in on (OpenFlow drops plain output to it). */
  public static OFAction outputInPort() {
    return OF13.actions().output(OFPort.IN_PORT, 0);
  }

  /**
   * Turns an ARP request into the reply "ip is at mac" and sends it back to the asker, as
   * OVN's ARP responder does: the asker's addresses become the target's, ours the sender's.
   */
  public static List<OFAction> arpReply(MacAddress mac, IPv4Address ip) {
    return List.of(
        NiciraRegMove.move(Field.ETH_SRC, Field.ETH_DST),
        setEthSrc(mac),
        OF13.actions().setField(OF13.oxms().arpOp(ArpOpcode.REPLY)),
        NiciraRegMove.move(Field.ARP_SHA, Field.ARP_THA),
        OF13.actions().setField(OF13.oxms().arpSha(mac)),
        NiciraRegMove.move(Field.ARP_SPA, Field.ARP_TPA),
        OF13.actions().setField(OF13.oxms().arpSpa(ip)),
        outputInPort());
  }

  /**
   * Turns an ICMP echo request to (mac, ip) into the echo reply from them, back to the asker.
   * Identifier, sequence and data stay; OVS fixes the IPv4 checksum on set_field of the
   * addresses and the ICMP checksum on set_field of icmp_type (lib/packets.c packet_set_icmp).
   */
  public static List<OFAction> echoReply(MacAddress mac, IPv4Address ip) {
    return List.of(
        NiciraRegMove.move(Field.ETH_SRC, Field.ETH_DST),
        setEthSrc(mac),
        NiciraRegMove.move(Field.IPV4_SRC, Field.IPV4_DST),
        setIpv4Src(ip),
        OF13.actions().setField(OF13.oxms().icmpv4Type(ICMPv4Type.ECHO_REPLY)),
        outputInPort());
  }

  /** Into the flow-based VXLAN port with this VNI towards this host's tunnel IP. */
  public static List<OFAction> tunnel(int vni, String tunnelIp, int vxlanOfPort) {
    return List.of(
        OF13.actions().setField(OF13.oxms().tunnelId(U64.of(vni))),
        OF13.actions().setField(OF13.oxms().tunnelIpv4Dst(IPv4Address.of(tunnelIp))),
        output(vxlanOfPort));
  }
}
