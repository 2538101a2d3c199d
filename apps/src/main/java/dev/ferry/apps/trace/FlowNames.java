package dev.ferry.apps.trace;

import dev.ferry.apps.compile.HostView;
import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.pipeline.FlowText;
import dev.ferry.apps.pipeline.NetworkMetadata;

/**
 * Names for one host's flows: OpenFlow port numbers as port names (or vxlan0, the uplink
 * interface), metadata as network name and VNI, tunnel destinations as host names, cookies
 * as their owners.
 */
public final class FlowNames implements FlowText.Names {
  private final Model model;
  private final Bindings bindings;
  private final String host;
  private final FlowOwners owners;

  public FlowNames(Model model, Bindings bindings, String host, FlowOwners owners) {
    this.model = model;
    this.bindings = bindings;
    this.host = host;
    this.owners = owners;
  }

  /** The name of a port number on this host: the model port's name, else the OVS interface. */
  @Override
  public String port(int ofPort) {
    return bindings.interfaceAt(host, ofPort)
        .map(iface -> model.portOnInterface(host, iface).map(FlowNames::portName).orElse(iface))
        .orElse(null);
  }

  public static String portName(Port p) {
    return p.name() == null ? p.id() : p.name();
  }

  @Override
  public String metadata(long value, Long mask) {
    long networkBits = mask == null ? NetworkMetadata.NETWORK_MASK : mask & NetworkMetadata.NETWORK_MASK;
    StringBuilder s = new StringBuilder();
    if (networkBits == NetworkMetadata.NETWORK_MASK) {
      int vni = NetworkMetadata.vniOf(value);
      if (vni == 0) {
        return null;
      }
      s.append("network:").append(model.networkByVni(vni).map(Network::name).orElse("?"))
          .append("/vni").append(vni);
    } else if (networkBits != 0) {
      return null;
    }
    boolean tunnelBit = mask == null || (mask & NetworkMetadata.FROM_TUNNEL) != 0;
    if (tunnelBit && NetworkMetadata.fromTunnel(value)) {
      s.append(s.length() == 0 ? "" : "+").append("from_tunnel");
    }
    long known = NetworkMetadata.WRITE_MASK;
    if (mask != null && (mask & ~known) != 0 || (value & ~known) != 0) {
      return null;
    }
    return s.length() == 0 ? null : s.toString();
  }

  @Override
  public String tunnelDst(String ip) {
    return model.hosts().values().stream().filter(h -> ip.equals(h.tunnelIp()))
        .map(Host::name).findFirst().orElse(null);
  }

  @Override
  public String cookie(long cookie) {
    return owners.of(cookie).map(o -> o.kind().equals("pipeline") ? o.app() + ":default"
        : o.app() + ":" + o.kind() + "=" + (o.name() != null ? o.name() : o.id())).orElse(null);
  }

  /** The vxlan0 port number of this host, or -1. */
  public int vxlanPort() {
    return bindings.ofPort(host, HostView.VXLAN_INTERFACE).orElse(-1);
  }
}
