package dev.ferry.apps.trace;

import dev.ferry.apps.compile.HostView;
import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.pipeline.Table;
import dev.ferry.southbound.flow.DesiredState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFMetadata;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * One packet walked across the overlay: through its host's flows ({@link PacketTracer}), out
 * of vxlan0 into the host whose tunnel IP is the packet's tun_dst (an ideal underlay), through
 * that host's flows, and out. Pure: the flows per host come from a function, so the same walk
 * runs over the compiled desired state or over what switches report.
 */
public final class OverlayTrace {
  private static final int MAX_HOSTS = 4;

  /** One table visited on one host: the flow matched there (null: table miss). */
  public record Hop(String host, int tableId, String table,
      dev.ferry.southbound.flow.FlowEntry flow, Packet packet) {}

  /** How a branch of the walk ended. */
  public enum Kind { DELIVERED, ANSWERED, UPLINK, CONTROLLER, DROPPED, LOST, STOPPED }

  /**
   * Where one copy of the packet ended.
   *
   * @param port the model port it was delivered to (DELIVERED), else null
   * @param iface the OVS interface it left through (DELIVERED, UPLINK), else null
   * @param last the last hop of this branch
   * @param note why the walk stopped (LOST, STOPPED), else null
   */
  public record Outcome(Kind kind, String host, Port port, String iface, Hop last, Packet packet,
      String note) {}

  public record Result(List<Hop> hops, List<Outcome> outcomes) {}

  private final Model model;
  private final Bindings bindings;
  private final Function<String, Optional<DesiredState>> flowsOf;

  /** @param flowsOf a host's flows, empty when there are none to walk (switch not connected) */
  public OverlayTrace(Model model, Bindings bindings,
      Function<String, Optional<DesiredState>> flowsOf) {
    this.model = model;
    this.bindings = bindings;
    this.flowsOf = flowsOf;
  }

  public Result walk(String host, Packet packet) {
    Result r = new Result(new ArrayList<>(), new ArrayList<>());
    walk(host, packet, r, 0);
    return new Result(List.copyOf(r.hops()), List.copyOf(r.outcomes()));
  }

  private void walk(String host, Packet packet, Result r, int depth) {
    Optional<DesiredState> flows = flowsOf.apply(host);
    if (flows.isEmpty()) {
      r.outcomes().add(new Outcome(Kind.LOST, host, null, null, null, packet,
          "host " + host + " has no flows to walk: its switch is not connected"));
      return;
    }
    TraceResult t = new PacketTracer(flows.get()).trace(packet);
    Hop last = null;
    for (TraceResult.Step s : t.path()) {
      String table = Table.isDeclared(s.tableId()) ? Table.byId(s.tableId()).tableName()
          : Integer.toString(s.tableId());
      last = new Hop(host, s.tableId(), table, s.flow(), s.packet());
      r.hops().add(last);
    }
    if (t.unmodelled().isPresent()) {
      r.outcomes().add(new Outcome(Kind.STOPPED, host, null, null, last, packet,
          t.unmodelled().get()));
      return;
    }
    for (Packet p : t.toController()) {
      r.outcomes().add(new Outcome(Kind.CONTROLLER, host, null, null, last, p, null));
    }
    int vxlan = bindings.ofPort(host, HostView.VXLAN_INTERFACE).orElse(-1);
    Host h = model.hosts().get(host);
    for (TraceResult.Output out : t.outputs()) {
      String iface = bindings.interfaceAt(host, out.ofPort()).orElse(null);
      if (out.ofPort() == packet.inPort() && out.ofPort() != vxlan) {
        // out of the port it came in by: the switch answered it (ARP, ping to the gateway)
        Port port = iface == null ? null : model.portOnInterface(host, iface).orElse(null);
        r.outcomes().add(new Outcome(Kind.ANSWERED, host, port, iface, last, out.packet(), null));
      } else if (out.ofPort() == vxlan) {
        tunnel(host, out.packet(), r, depth, last);
      } else if (h != null && h.uplink() != null && h.uplink().interfaceName().equals(iface)) {
        r.outcomes().add(new Outcome(Kind.UPLINK, host, null, iface, last, out.packet(), null));
      } else {
        Port port = iface == null ? null : model.portOnInterface(host, iface).orElse(null);
        r.outcomes().add(new Outcome(Kind.DELIVERED, host, port, iface, last, out.packet(), null));
      }
    }
    if (t.dropped()) {
      r.outcomes().add(new Outcome(Kind.DROPPED, host, null, null, last, packet, null));
    }
  }

  private void tunnel(String from, Packet p, Result r, int depth, Hop last) {
    Optional<Host> dst = model.hosts().values().stream()
        .filter(h -> h.tunnelIp().equals(p.tunnelDst())).findFirst();
    if (dst.isEmpty()) {
      r.outcomes().add(new Outcome(Kind.LOST, from, null, HostView.VXLAN_INTERFACE, last, p,
          "no host has tunnel address " + p.tunnelDst()));
      return;
    }
    if (depth + 1 >= MAX_HOSTS) {
      r.outcomes().add(new Outcome(Kind.LOST, from, null, HostView.VXLAN_INTERFACE, last, p,
          "the packet loops between hosts"));
      return;
    }
    String name = dst.get().name();
    var in = bindings.ofPort(name, HostView.VXLAN_INTERFACE);
    if (in.isEmpty()) {
      r.outcomes().add(new Outcome(Kind.LOST, name, null, HostView.VXLAN_INTERFACE, last, p,
          "host " + name + " has no vxlan0 port (not connected?)"));
      return;
    }
    // a new switch: new pipeline fields, and conntrack state does not cross the tunnel
    Packet arriving = p.with(MatchField.IN_PORT, OFPort.of(in.getAsInt()))
        .with(MatchField.METADATA, OFMetadata.ofRaw(0))
        .without(MatchField.CONN_TRACKING_STATE).without(MatchField.CONN_TRACKING_MARK);
    walk(name, arriving, r, depth + 1);
  }
}
