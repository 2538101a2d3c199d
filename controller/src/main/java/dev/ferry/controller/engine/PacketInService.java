package dev.ferry.controller.engine;

import dev.ferry.apps.arp.ArpResponder;
import dev.ferry.apps.arp.PacketInNetwork;
import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.southbound.SwitchHandle;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFMetadata;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The packet-in edge: finds the network a packet-in belongs to and hands the frame to the pure
 * packet apps; whatever they answer goes back out of the port the request came in on. Runs on
 * the switch's event loop, so it only reads immutable snapshots.
 */
final class PacketInService {
  private final AtomicLong arpAnswered = new AtomicLong();
  private final AtomicLong unanswered = new AtomicLong();
  private final PacketInCounters counters = new PacketInCounters();

  void handle(SwitchHandle sw, OFPacketIn packetIn, Model model, Bindings bindings) {
    Optional<Host> host = model.hostByDatapathId(sw.datapathId());
    OFPort inPort = packetIn.getMatch().get(MatchField.IN_PORT);
    if (host.isEmpty() || inPort == null) {
      counters.packetIn(PacketInCounters.kind(packetIn.getData()), null);
      unanswered.incrementAndGet();
      return;
    }
    OFMetadata metadata = packetIn.getMatch().get(MatchField.METADATA);
    long meta = metadata == null ? 0 : metadata.getValue().getValue();
    Optional<Network> network =
        PacketInNetwork.resolve(model, bindings, host.get().name(), inPort.getPortNumber(), meta);
    counters.packetIn(PacketInCounters.kind(packetIn.getData()), network.map(Network::tenantId).orElse(null));
    Optional<byte[]> reply = network.flatMap(n -> ArpResponder.answer(model, n, packetIn.getData()));
    if (reply.isEmpty()) {
      unanswered.incrementAndGet();
      return;
    }
    arpAnswered.incrementAndGet();
    sw.packetOut(OFPort.CONTROLLER, List.of(sw.factory().actions().output(inPort, 0xffff)), reply.get());
  }

  PacketInCounters counters() {
    return counters;
  }

  long arpAnswered() {
    return arpAnswered.get();
  }

  long unanswered() {
    return unanswered.get();
  }
}
