package dev.ferry.controller.ops;

import dev.ferry.controller.store.InterfaceNames;
import java.util.List;
import java.util.Map;

/**
 * The OVS configuration a Ferry host must have: br-int (secure fail mode, OpenFlow 1.3, an
 * explicit datapath id), one flow-based VXLAN port and out-of-band controller connections.
 *
 * @param datapathType "netdev" (userspace) or "system" (kernel module)
 * @param datapathId 16 lower-case hex digits
 * @param controllers OVS targets, e.g. "tcp:10.0.0.1:6653" or "ssl:10.0.0.1:6654"
 */
public record HostSetupSpec(String datapathType, String datapathId, List<String> controllers) {
  public static final String BRIDGE = InterfaceNames.BRIDGE;
  public static final String TUNNEL_PORT = InterfaceNames.TUNNEL_PORT;
  public static final String FAIL_MODE = "secure";
  public static final String PROTOCOLS = "OpenFlow13";
  public static final String CONNECTION_MODE = "out-of-band";
  public static final Map<String, String> TUNNEL_OPTIONS = Map.of("key", "flow", "remote_ip", "flow");

  public HostSetupSpec {
    if (!datapathId.matches("[0-9a-f]{16}")) {
      throw new IllegalArgumentException("datapath id must be 16 hex digits: " + datapathId);
    }
    if (controllers.isEmpty()) {
      throw new IllegalArgumentException("at least one --controller target is needed (tcp:IP:PORT or ssl:IP:PORT)");
    }
    for (String c : controllers) {
      if (!c.matches("(tcp|ssl):[^:]+:\\d+")) {
        throw new IllegalArgumentException("controller target must be tcp:IP:PORT or ssl:IP:PORT, not '" + c + "'");
      }
    }
    controllers = controllers.stream().distinct().sorted().toList();
  }
}
