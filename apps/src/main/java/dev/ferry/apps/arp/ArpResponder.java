package dev.ferry.apps.arp;

import dev.ferry.apps.gateway.GatewayMac;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.PairAddresses;
import dev.ferry.apps.packet.ArpPacket;
import java.util.Optional;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * Answers ARP requests from the model, so ARP is never flooded. Pure: the caller passes the
 * network the request came from (see {@link dev.ferry.apps.packetin.PacketInNetwork}) and sends the reply frame back
 * out of the request's in_port. Only ports of that network are answered, which is what keeps
 * tenants apart when they reuse addresses.
 */
public final class ArpResponder {
  private ArpResponder() {}

  /** The reply frame, or empty when the frame is no ARP request Ferry should answer. */
  public static Optional<byte[]> answer(Model model, Network network, byte[] requestFrame) {
    return ArpPacket.parse(requestFrame)
        .filter(ArpResponder::isQuestion)
        .flatMap(req -> macOf(model, network, req)
            .filter(mac -> !mac.equals(req.sha()))
            .map(mac -> req.replyFrom(mac).toFrame()));
  }

  /**
   * A request about someone else's address. A gratuitous ARP (spa == tpa) announces, it does
   * not ask; a request about the sender's own MAC (a duplicate-address probe) must stay
   * unanswered, or the sender would think its address is taken.
   */
  private static boolean isQuestion(ArpPacket p) {
    return p.op() == ArpPacket.REQUEST && !p.spa().equals(p.tpa());
  }

  /** The network's gateway answers with its virtual router MAC; ports with their own. */
  private static Optional<MacAddress> macOf(Model model, Network network, ArpPacket req) {
    if (model.gatewayAddress(network.id()).filter(req.tpa()::equals).isPresent()) {
      return Optional.of(GatewayMac.of(network));
    }
    if (PairAddresses.ofNetwork(model, network.id()).covers(req.tpa())) {
      return Optional.empty(); // an allowed address pair's: its holder answers
    }
    return model.portMacByIp(network.id(), req.tpa().getInt());
  }
}
