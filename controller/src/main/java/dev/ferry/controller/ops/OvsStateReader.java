package dev.ferry.controller.ops;

import static dev.ferry.controller.ops.HostSetupSpec.BRIDGE;
import static dev.ferry.controller.ops.HostSetupSpec.TUNNEL_PORT;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the {@link OvsState} of br-int from a database with ovs-vsctl (read-only). */
public final class OvsStateReader {
  private OvsStateReader() {}

  public static OvsState read(Vsctl vsctl) {
    List<Map<String, JsonNode>> bridges = vsctl.list("Bridge", BRIDGE,
        "name,datapath_type,fail_mode,protocols,other_config,controller,ports");
    if (bridges.isEmpty()) {
      return OvsState.EMPTY;
    }
    Map<String, JsonNode> b = bridges.get(0);
    Map<String, String> controllers = controllers(vsctl, Vsctl.uuids(b.get("controller")));
    List<Map<String, JsonNode>> tunnel = vsctl.list("Interface", TUNNEL_PORT, "name,type,options");
    boolean onBridge = portsOf(vsctl, b).contains(TUNNEL_PORT);
    return new OvsState(true, Vsctl.text(b.get("datapath_type")), Vsctl.text(b.get("fail_mode")),
        Vsctl.text(b.get("protocols")), Vsctl.map(b.get("other_config")).getOrDefault("datapath-id", ""),
        controllers, onBridge,
        tunnel.isEmpty() ? "" : Vsctl.text(tunnel.get(0).get("type")),
        tunnel.isEmpty() ? Map.of() : Vsctl.map(tunnel.get(0).get("options")));
  }

  private static Map<String, String> controllers(Vsctl vsctl, List<String> uuids) {
    Map<String, String> out = new HashMap<>();
    for (Map<String, JsonNode> c : vsctl.list("Controller", null, "_uuid,target,connection_mode")) {
      if (uuids.contains(Vsctl.text(c.get("_uuid")))) {
        out.put(Vsctl.text(c.get("target")), Vsctl.text(c.get("connection_mode")));
      }
    }
    return out;
  }

  private static List<String> portsOf(Vsctl vsctl, Map<String, JsonNode> bridge) {
    List<String> uuids = Vsctl.uuids(bridge.get("ports"));
    return vsctl.list("Port", null, "_uuid,name").stream()
        .filter(p -> uuids.contains(Vsctl.text(p.get("_uuid"))))
        .map(p -> Vsctl.text(p.get("name"))).toList();
  }
}
