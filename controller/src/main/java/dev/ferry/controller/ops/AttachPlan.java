package dev.ferry.controller.ops;

import java.util.ArrayList;
import java.util.List;

/** Pure: the commands that plug one port into its namespace and into br-int, in order. */
public final class AttachPlan {
  private AttachPlan() {}

  /** Written next to udhcpc: busybox ships no default script, and udhcpc configures nothing without one. */
  public static final String DHCP_SCRIPT = """
      #!/bin/sh
      # udhcpc calls this with $1 = deconfig | bound | renew | leasefail | nak
      case "$1" in
        deconfig) ip addr flush dev "$interface" ;;
        bound|renew)
          ip addr flush dev "$interface"
          ip addr add "$ip/${mask:-24}" dev "$interface"
          [ -n "$router" ] && ip route replace default via "${router%% *}" dev "$interface"
          ;;
      esac
      exit 0
      """;

  public static List<List<String>> commands(AttachSpec s, Vsctl vsctl, String dhcpScript) {
    NetnsTarget ns = s.netns();
    String device = s.device();
    List<List<String>> out = new ArrayList<>();
    out.add(List.of("ip", "link", "add", s.hostLink(), "mtu", Integer.toString(s.mtu()), "type", "veth",
        "peer", "name", s.peerLink(), "mtu", Integer.toString(s.mtu())));
    out.add(List.of("ip", "link", "set", s.peerLink(), "netns", ns.moveTo()));
    out.add(ns.inside("ip", "link", "set", s.peerLink(), "name", device));
    out.add(ns.inside("ip", "link", "set", device, "address", s.mac()));
    out.add(ns.inside("ip", "link", "set", "lo", "up"));
    out.add(ns.inside("ip", "link", "set", device, "up"));
    // The userspace datapath forwards TCP checksums unfilled: without this, ping works and TCP dies.
    out.add(ns.inside("ethtool", "-K", device, "tx", "off"));
    out.add(List.of("ip", "link", "set", s.hostLink(), "up"));
    out.add(vsctl.command(List.of("--may-exist", "add-port", HostSetupSpec.BRIDGE, s.hostLink())));
    if (s.dhcp()) {
      out.add(ns.inside("busybox", "udhcpc", "-i", device, "-q", "-n", "-t", "5", "-s", dhcpScript));
    } else {
      out.add(ns.inside("ip", "addr", "add", s.ip() + "/" + s.prefixLength(), "dev", device));
      if (s.gatewayIp() != null && !s.gatewayIp().isEmpty()) {
        out.add(ns.inside("ip", "route", "replace", "default", "via", s.gatewayIp(), "dev", device));
      }
    }
    return out;
  }

  /**
   * The host half only, for a runtime that moves the peer into the container and addresses it
   * itself (Docker after a network driver's Join): the veth pair with the network's MTU, the
   * peer's transmit checksum offload off (it survives the move), the host end up on br-int.
   */
  public static List<List<String>> hostSide(String hostLink, String peerLink, int mtu, Vsctl vsctl) {
    return List.of(
        List.of("ip", "link", "add", hostLink, "mtu", Integer.toString(mtu), "type", "veth", "peer", "name", peerLink,
            "mtu", Integer.toString(mtu)),
        List.of("ethtool", "-K", peerLink, "tx", "off"),
        List.of("ip", "link", "set", hostLink, "up"),
        vsctl.command(List.of("--may-exist", "add-port", HostSetupSpec.BRIDGE, hostLink)));
  }

  /** What detach runs: each is harmless when its object is already gone. */
  public static List<List<String>> undo(String hostLink, Vsctl vsctl) {
    return List.of(
        vsctl.command(List.of("--if-exists", "del-port", HostSetupSpec.BRIDGE, hostLink)),
        List.of("ip", "link", "del", hostLink));
  }
}
