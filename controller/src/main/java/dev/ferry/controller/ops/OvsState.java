package dev.ferry.controller.ops;

import java.util.List;
import java.util.Map;

/**
 * What a host's OVS database holds that host-setup cares about: br-int's settings, its
 * controllers and the tunnel port. Read once, then compared with what is wanted.
 *
 * @param bridgeExists false: nothing else here is meaningful
 * @param datapathType "" means the kernel datapath ("system")
 * @param controllers target -> connection_mode ("" when unset)
 * @param tunnelPortOnBridge vxlan0 is a port of br-int
 * @param tunnelType the Interface row's type ("" when vxlan0 does not exist)
 */
public record OvsState(
    boolean bridgeExists,
    String datapathType,
    String failMode,
    String protocols,
    String datapathId,
    Map<String, String> controllers,
    boolean tunnelPortOnBridge,
    String tunnelType,
    Map<String, String> tunnelOptions) {

  public static final OvsState EMPTY =
      new OvsState(false, "", "", "", "", Map.of(), false, "", Map.of());

  public OvsState {
    controllers = Map.copyOf(controllers);
    tunnelOptions = Map.copyOf(tunnelOptions);
  }

  /** A bridge configured exactly as {@code wanted} (used by tests and after a successful setup). */
  public static OvsState of(HostSetupSpec wanted) {
    Map<String, String> controllers = new java.util.HashMap<>();
    wanted.controllers().forEach(t -> controllers.put(t, HostSetupSpec.CONNECTION_MODE));
    return new OvsState(true, wanted.datapathType(), HostSetupSpec.FAIL_MODE, HostSetupSpec.PROTOCOLS,
        wanted.datapathId(), controllers, true, "vxlan", HostSetupSpec.TUNNEL_OPTIONS);
  }

  List<String> controllerTargets() {
    return controllers.keySet().stream().sorted().toList();
  }
}
