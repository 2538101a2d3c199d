package dev.ferry.controller.ops;

import static dev.ferry.controller.ops.HostSetupSpec.BRIDGE;
import static dev.ferry.controller.ops.HostSetupSpec.TUNNEL_PORT;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pure: (current OVS state, wanted setup) -> the ovs-vsctl commands that close the gap, in
 * the order they must run as one transaction. Nothing when the host is already right.
 *
 * <p>The controller is set in the same transaction that creates the bridge: OVS flushes a
 * bridge's flows on its first set-controller, so it must never come after anything that relies
 * on flows.
 */
public final class HostSetupPlan {
  private HostSetupPlan() {}

  /** Each element is one ovs-vsctl command (the words between two "--"). */
  public static List<List<String>> plan(OvsState now, HostSetupSpec want) {
    List<List<String>> out = new ArrayList<>();
    if (!now.bridgeExists()) {
      out.add(List.of("add-br", BRIDGE));
    }
    List<String> bridgeSettings = bridgeSettings(now, want);
    if (!bridgeSettings.isEmpty()) {
      List<String> set = new ArrayList<>(List.of("set", "bridge", BRIDGE));
      set.addAll(bridgeSettings);
      out.add(set);
    }
    out.addAll(controllers(now, want));
    out.addAll(tunnelPort(now));
    return out;
  }

  private static List<String> bridgeSettings(OvsState now, HostSetupSpec want) {
    List<String> set = new ArrayList<>();
    if (!now.bridgeExists() || !sameDatapathType(now.datapathType(), want.datapathType())) {
      set.add("datapath_type=" + want.datapathType());
    }
    if (!now.bridgeExists() || !HostSetupSpec.FAIL_MODE.equals(now.failMode())) {
      set.add("fail_mode=" + HostSetupSpec.FAIL_MODE);
    }
    if (!now.bridgeExists() || !HostSetupSpec.PROTOCOLS.equals(now.protocols())) {
      set.add("protocols=" + HostSetupSpec.PROTOCOLS);
    }
    if (!now.bridgeExists() || !want.datapathId().equalsIgnoreCase(now.datapathId())) {
      set.add("other-config:datapath-id=" + want.datapathId());
    }
    return set;
  }

  // OVS writes "" for the kernel datapath; "system" means the same.
  private static boolean sameDatapathType(String a, String b) {
    return normalize(a).equals(normalize(b));
  }

  private static String normalize(String type) {
    return type == null || type.isEmpty() ? "system" : type;
  }

  /** Replaces the controller set when any target or connection mode differs. */
  private static List<List<String>> controllers(OvsState now, HostSetupSpec want) {
    Map<String, String> wanted = new TreeMap<>();
    want.controllers().forEach(t -> wanted.put(t, HostSetupSpec.CONNECTION_MODE));
    if (now.bridgeExists() && wanted.equals(new TreeMap<>(now.controllers()))) {
      return List.of();
    }
    List<List<String>> out = new ArrayList<>();
    List<String> refs = new ArrayList<>();
    for (String target : want.controllers()) {
      String ref = "@c" + refs.size();
      refs.add(ref);
      out.add(List.of("--id=" + ref, "create", "controller", "target=\"" + target + "\"",
          "connection_mode=" + HostSetupSpec.CONNECTION_MODE));
    }
    out.add(List.of("set", "bridge", BRIDGE, "controller=[" + String.join(",", refs) + "]"));
    return out;
  }

  private static List<List<String>> tunnelPort(OvsState now) {
    List<String> setInterface = List.of("set", "interface", TUNNEL_PORT, "type=vxlan",
        "options:key=flow", "options:remote_ip=flow");
    if (!now.tunnelPortOnBridge()) {
      return List.of(List.of("--may-exist", "add-port", BRIDGE, TUNNEL_PORT), setInterface);
    }
    // Only the options Ferry needs are compared: an operator's extra options (dst_port) stay.
    boolean right = "vxlan".equals(now.tunnelType()) && HostSetupSpec.TUNNEL_OPTIONS.entrySet().stream()
        .allMatch(e -> e.getValue().equals(now.tunnelOptions().get(e.getKey())));
    return right ? List.of() : List.of(setInterface);
  }

  /** The plan as one ovs-vsctl argument list ("--" between commands). */
  public static List<String> asArguments(List<List<String>> plan) {
    List<String> args = new ArrayList<>();
    for (List<String> command : plan) {
      args.add("--");
      args.addAll(command);
    }
    return args;
  }
}
