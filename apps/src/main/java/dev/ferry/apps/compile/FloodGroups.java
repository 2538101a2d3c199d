package dev.ferry.apps.compile;

import static dev.ferry.apps.pipeline.OpenFlow.OF13;

import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.pipeline.Actions;
import dev.ferry.southbound.flow.GroupEntry;
import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFBucket;
import org.projectfloodlight.openflow.protocol.OFGroupType;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * A network's broadcast groups (type ALL). Ids derive from the VNI, so they are stable and
 * the same on every host: VNI for "local ports + every other host with ports of it", VNI with
 * bit 24 set for "local ports only", used for packets that came from the tunnel (split
 * horizon). A bucket for the packet's own in_port is harmless: OpenFlow, and OVS
 * (ovs-actions(7), "Output to the Input Port"), skip output to the ingress port.
 */
public final class FloodGroups {
  private static final long LOCAL_ONLY = 1L << 24;

  private FloodGroups() {}

  public static long floodGroupId(int vni) {
    return vni;
  }

  public static long localFloodGroupId(int vni) {
    return vni | LOCAL_ONLY;
  }

  static List<GroupEntry> of(HostView view, CompileMemo memo) {
    List<GroupEntry> groups = new ArrayList<>();
    for (Network n : view.networks()) {
      // the buckets read the network, its ports here, the other hosts with ports of it, vxlan0
      groups.addAll(memo.get("flood-groups", n.id(),
          List.of(n, view.localPortsOf(n), view.remoteHostsOf(n), view.vxlanOfPort()),
          () -> ofNetwork(view, n)));
    }
    return groups;
  }

  private static List<GroupEntry> ofNetwork(HostView view, Network n) {
    List<GroupEntry> groups = new ArrayList<>();
    groups.add(new GroupEntry(floodGroupId(n.vni()), OFGroupType.ALL, allBuckets(view, n)));
    if (view.vxlanOfPort().isPresent()) {
      groups.add(new GroupEntry(localFloodGroupId(n.vni()), OFGroupType.ALL,
          localBuckets(view, n)));
    }
    return List.copyOf(groups);
  }

  private static List<OFBucket> allBuckets(HostView view, Network n) {
    List<OFBucket> buckets = new ArrayList<>(localBuckets(view, n));
    view.vxlanOfPort().ifPresent(vxlan -> {
      for (Host h : view.remoteHostsOf(n)) {
        buckets.add(bucket(Actions.tunnel(n.vni(), h.tunnelIp(), vxlan)));
      }
    });
    return buckets;
  }

  private static List<OFBucket> localBuckets(HostView view, Network n) {
    return view.localPortsOf(n).stream()
        .map(p -> bucket(List.of(Actions.output(p.ofPort())))).toList();
  }

  private static OFBucket bucket(List<OFAction> actions) {
    return OF13.buildBucket().setActions(actions)
        .setWatchGroup(OFGroup.ANY).setWatchPort(OFPort.ANY).build();
  }
}
