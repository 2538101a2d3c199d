package dev.ferry.apps.pipeline;

import static dev.ferry.apps.pipeline.OpenFlow.OF13;

import java.util.List;
import org.projectfloodlight.openflow.protocol.action.OFAction;
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

  /** Into the flow-based VXLAN port with this VNI towards this host's tunnel IP. */
  public static List<OFAction> tunnel(int vni, String tunnelIp, int vxlanOfPort) {
    return List.of(
        OF13.actions().setField(OF13.oxms().tunnelId(U64.of(vni))),
        OF13.actions().setField(OF13.oxms().tunnelIpv4Dst(IPv4Address.of(tunnelIp))),
        output(vxlanOfPort));
  }
}
