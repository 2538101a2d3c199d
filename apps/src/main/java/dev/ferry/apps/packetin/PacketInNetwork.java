package dev.ferry.apps.packetin;

import dev.ferry.apps.compile.HostView;
import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.pipeline.NetworkMetadata;
import java.util.Optional;

/**
 * Which network a packet-in belongs to. Ferry's packet-in flows sit after classification, so
 * the packet-in's match carries metadata (OVS includes it when non-zero): its low 24 bits are
 * the VNI. The in_port is cross-checked: when it is a bound container port, its network must
 * be the same one, else the packet-in is refused (a stale flow or a bug, never a guess).
 */
public final class PacketInNetwork {
  private PacketInNetwork() {}

  public static Optional<Network> resolve(
      Model model, Bindings bindings, String host, int inPort, long metadata) {
    return resolve(model, bindings, host, inPort, metadata, portAt(model, bindings, host, inPort));
  }

  /** As above, with the in_port's bound port already looked up (the packet-in path needs both). */
  public static Optional<Network> resolve(Model model, Bindings bindings, String host, int inPort,
      long metadata, Optional<Port> byInPort) {
    int vni = NetworkMetadata.vniOf(metadata);
    Optional<Network> byMetadata = model.networkByVni(vni);
    if (byInPort.isEmpty()) {
      boolean fromTunnel = bindings.ofPort(host, HostView.VXLAN_INTERFACE).orElse(-1) == inPort;
      return fromTunnel ? byMetadata : Optional.empty();
    }
    return byMetadata.filter(n -> n.id().equals(byInPort.get().networkId()));
  }

  /** The model port bound to this OpenFlow port of the host, if any. */
  public static Optional<Port> portAt(Model model, Bindings bindings, String host, int inPort) {
    return bindings.interfaceAt(host, inPort).flatMap(name -> model.portOnInterface(host, name));
  }
}
