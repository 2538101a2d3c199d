package dev.ferry.apps.packetin;

import static dev.ferry.apps.testing.SeedScenario.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.apps.compile.HostCompiler;
import dev.ferry.apps.packet.ArpPacket;
import dev.ferry.apps.trace.Packet;
import dev.ferry.apps.trace.PacketTracer;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/** A packet-in as the compiled flows produce it, answered through the single entry point. */
class PacketInResponderTest {
  /** The datapath answers ARP itself now; the controller's responder (kept for packet-ins
   * from older flows) gives the same answer: tenant B's port though tenant A has the same IP. */
  @Test
  void arpFromTenantBOnHost1IsAnsweredWithTenantBsPortThoughTenantAHasTheSameIp() {
    var r = new PacketTracer(HostCompiler.compile(MODEL, BINDINGS, "host1"))
        .trace(Packet.at(3).eth(B1.mac(), "ff:ff:ff:ff:ff:ff").arp(1, B1.mac(), B1.ip(), B2.ip()));
    assertTrue(r.toController().isEmpty());
    assertEquals(MacAddress.of(B2.mac()), r.outputs().get(0).packet()
        .get(org.projectfloodlight.openflow.protocol.match.MatchField.ARP_SHA));
    byte[] request = new ArpPacket(MacAddress.of(B1.mac()), MacAddress.BROADCAST, 1,
        MacAddress.of(B1.mac()), IPv4Address.of(B1.ip()), MacAddress.NONE,
        IPv4Address.of(B2.ip())).toFrame();
    byte[] reply = PacketInResponder.respond(MODEL, BINDINGS, "host1", 3,
        dev.ferry.apps.pipeline.NetworkMetadata.of(NET_B.vni()), request).orElseThrow();
    assertEquals(MacAddress.of(B2.mac()), ArpPacket.parse(reply).orElseThrow().sha());
  }

  @Test
  void packetInsFromPortsFerryDoesNotKnowGetNoAnswer() {
    byte[] request = new ArpPacket(MacAddress.of(B1.mac()), MacAddress.BROADCAST, 1,
        MacAddress.of(B1.mac()), IPv4Address.of(B1.ip()), MacAddress.NONE,
        IPv4Address.of(B2.ip())).toFrame();
    assertTrue(PacketInResponder.respond(MODEL, BINDINGS, "host1", 1, 200, request).isEmpty(),
        "from the tunnel");
    assertTrue(PacketInResponder.respond(MODEL, BINDINGS, "host1", 7, 200, request).isEmpty(),
        "unbound port");
  }
}
