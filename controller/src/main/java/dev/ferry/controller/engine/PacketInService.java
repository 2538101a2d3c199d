package dev.ferry.controller.engine;

import dev.ferry.apps.packetin.PacketInResponder;
import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.pipeline.NetworkMetadata;
import dev.ferry.southbound.SwitchHandle;
import java.util.List;
import java.util.Optional;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFMetadata;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The packet-in edge: hands each packet-in to the pure packet apps (ARP, gateway ping, DHCP),
 * and whatever they answer goes back out of the port the request came in on. Runs on
 * the switch's event loop, so it only reads immutable snapshots.
 */
final class PacketInService {
  private final PacketInCounters counters = new PacketInCounters();
  /** Set once before switches connect (Engine.withDhcpLease); read on the event loops. */
  private volatile int dhcpLeaseSeconds = dev.ferry.apps.dhcp.DhcpResponder.LEASE_SECONDS;

  void dhcpLeaseSeconds(int seconds) {
    this.dhcpLeaseSeconds = seconds;
  }

  void handle(SwitchHandle sw, OFPacketIn packetIn, Model model, Bindings bindings) {
    Optional<Host> host = model.hostByDatapathId(sw.datapathId());
    OFPort inPort = packetIn.getMatch().get(MatchField.IN_PORT);
    String kind = PacketInCounters.kind(packetIn.getData());
    if (host.isEmpty() || inPort == null) {
      counters.packetIn(kind, null);
      return;
    }
    OFMetadata metadata = packetIn.getMatch().get(MatchField.METADATA);
    long meta = metadata == null ? 0 : metadata.getValue().getValue();
    // The tenant for metrics comes from the metadata alone (O(1)); the responder cross-checks
    // it against the in_port before it answers anything.
    String tenant = model.networkByVni(NetworkMetadata.vniOf(meta)).map(Network::tenantId).orElse(null);
    counters.packetIn(kind, tenant);
    Optional<byte[]> reply = PacketInResponder.respond(model, bindings, host.get().name(),
        inPort.getPortNumber(), meta, packetIn.getData(), dhcpLeaseSeconds);
    if (reply.isEmpty()) {
      return;
    }
    sw.packetOut(OFPort.CONTROLLER, List.of(sw.factory().actions().output(inPort, 0xffff)), reply.get());
  }

  PacketInCounters counters() {
    return counters;
  }
}
