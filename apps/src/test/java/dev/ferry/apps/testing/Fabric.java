package dev.ferry.apps.testing;

import dev.ferry.apps.compile.HostCompiler;
import dev.ferry.apps.compile.HostView;
import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.trace.Packet;
import dev.ferry.apps.trace.PacketTracer;
import dev.ferry.apps.trace.TraceResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFMetadata;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Every host's compiled switch wired together by an ideal underlay: a packet leaving a vxlan0
 * port arrives at the host whose tunnel IP is its tun_dst, with its tun_id. Answers where a
 * packet sent by a port ends up across the whole overlay.
 */
public final class Fabric {
  private final Model model;
  private final Bindings bindings;
  private final Map<String, PacketTracer> switches;

  /** A packet leaving a switch on a container port. */
  public record Delivery(String host, int ofPort, Optional<Port> port, Packet packet) {}

  /** What happened to one packet: container deliveries, packet-ins, tunnel packets lost. */
  public record Result(List<Delivery> deliveries, List<Packet> packetIns, List<Packet> lost,
      List<TraceResult.Output> tunnelled) {}

  public Fabric(Model model, Bindings bindings) {
    this.model = model;
    this.bindings = bindings;
    this.switches = model.hosts().keySet().stream().collect(Collectors.toMap(h -> h,
        h -> new PacketTracer(HostCompiler.compile(model, bindings, h))));
  }

  /** Sends a packet as the given bound port would (in_port = its ofport on its host). */
  public Result sendFrom(Port port, java.util.function.UnaryOperator<Packet> headers) {
    int ofPort = bindings.ofPort(port.host(), port.interfaceName()).orElseThrow();
    return send(port.host(), headers.apply(Packet.at(ofPort)));
  }

  public Result send(String host, Packet packet) {
    Result result = new Result(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
        new ArrayList<>());
    walk(host, packet, result, 0);
    return result;
  }

  private void walk(String host, Packet packet, Result result, int depth) {
    if (depth > 4) {
      throw new IllegalStateException("packet loops between hosts: " + packet);
    }
    TraceResult r = switches.get(host).trace(packet);
    result.packetIns().addAll(r.toController());
    int vxlan = bindings.ofPort(host, HostView.VXLAN_INTERFACE).orElse(-1);
    for (TraceResult.Output out : r.outputs()) {
      if (out.ofPort() == vxlan) {
        result.tunnelled().add(out);
        tunnel(out.packet(), result, depth);
      } else {
        result.deliveries().add(new Delivery(host, out.ofPort(), portAt(host, out.ofPort()),
            out.packet()));
      }
    }
  }

  private void tunnel(Packet p, Result result, int depth) {
    Optional<Host> dst = model.hosts().values().stream()
        .filter(h -> h.tunnelIp().equals(p.tunnelDst())).findFirst();
    if (dst.isEmpty() || bindings.ofPort(dst.get().name(), HostView.VXLAN_INTERFACE).isEmpty()) {
      result.lost().add(p);
      return;
    }
    int in = bindings.ofPort(dst.get().name(), HostView.VXLAN_INTERFACE).getAsInt();
    Packet arriving = p.with(MatchField.IN_PORT, OFPort.of(in))
        .with(MatchField.METADATA, OFMetadata.ofRaw(0));
    walk(dst.get().name(), arriving, result, depth + 1);
  }

  private Optional<Port> portAt(String host, int ofPort) {
    return model.portsOnHost(host).stream()
        .filter(p -> bindings.ofPort(host, p.interfaceName()).orElse(-1) == ofPort)
        .findFirst();
  }
}
