package dev.ferry.apps.arp;

import static dev.ferry.apps.testing.SeedScenario.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.packet.ArpPacket;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

class ArpResponderTest {
  private static final MacAddress BROADCAST = MacAddress.BROADCAST;

  @Test
  void answersWithThePortOfTheAskingNetworkWhenTenantsShareAnAddress() {
    assertEquals(MacAddress.of(A2.mac()), answeredMac(NET_A, A1, A2.ip()));
    assertEquals(MacAddress.of(B2.mac()), answeredMac(NET_B, B1, B2.ip()));
  }

  @Test
  void replyIsAddressedToTheAskerAndSaysWhoHasTheTarget() {
    ArpPacket reply = ArpPacket.parse(answer(NET_A, request(A1, A2.ip())).orElseThrow())
        .orElseThrow();
    assertEquals(new ArpPacket(MacAddress.of(A2.mac()), MacAddress.of(A1.mac()), ArpPacket.REPLY,
        MacAddress.of(A2.mac()), IPv4Address.of(A2.ip()),
        MacAddress.of(A1.mac()), IPv4Address.of(A1.ip())), reply);
  }

  @Test
  void replyFrameBytesAreAMinimumSizeArpReply() {
    byte[] frame = answer(NET_A, request(A1, A2.ip())).orElseThrow();
    assertEquals("020000" + "00a002" + "020000" + "00a00a" + "0806" + "0001" + "0800" + "06" + "04"
        + "0002" + "02000000a00a" + "ac112a0a" + "02000000a002" + "ac112a02" + "00".repeat(18),
        HexFormat.of().formatHex(frame));
  }

  @Test
  void theGatewayAddressIsAnsweredWithTheNetworksVirtualRouterMac() {
    assertEquals(dev.ferry.apps.gateway.GatewayMac.of(NET_A), answeredMac(NET_A, A1, "172.17.42.1"));
    assertEquals(dev.ferry.apps.gateway.GatewayMac.of(NET_B), answeredMac(NET_B, B1, "172.17.42.1"));
  }

  @Test
  void tcpdumpReadsTheReplyAsAnArpReply() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(dev.ferry.apps.testing.Tcpdump.available());
    String out = dev.ferry.apps.testing.Tcpdump.decode(
        answer(NET_A, request(A1, A2.ip())).orElseThrow());
    assertTrue(out.contains("Reply 172.17.42.10 is-at 02:00:00:00:a0:0a"), out);
  }

  @Test
  void answersForAPortThatIsNotBoundYet() {
    assertEquals(MacAddress.of(A3.mac()), answeredMac(NET_A, A1, A3.ip()));
  }

  @Test
  void unknownAddressesGetNoAnswer() {
    assertTrue(answer(NET_A, request(A1, "172.17.42.99")).isEmpty());
    assertTrue(answer(NET_A, request(A1, "10.1.1.1")).isEmpty());
  }

  @Test
  void gratuitousArpAndDuplicateAddressProbesGetNoAnswer() {
    assertTrue(answer(NET_A, request(A1, A1.ip())).isEmpty(), "gratuitous");
    byte[] probe = new ArpPacket(MacAddress.of(A2.mac()), BROADCAST, ArpPacket.REQUEST,
        MacAddress.of(A2.mac()), IPv4Address.NONE, MacAddress.NONE, IPv4Address.of(A2.ip()))
        .toFrame();
    assertTrue(answer(NET_A, probe).isEmpty(), "probe for the sender's own address");
  }

  @Test
  void probesForAnAddressInUseByAnotherPortAreAnswered() {
    byte[] probe = new ArpPacket(MacAddress.of("02:00:00:00:a0:77"), BROADCAST, ArpPacket.REQUEST,
        MacAddress.of("02:00:00:00:a0:77"), IPv4Address.NONE, MacAddress.NONE,
        IPv4Address.of(A2.ip())).toFrame();
    assertTrue(answer(NET_A, probe).isPresent());
  }

  @Test
  void repliesNonArpAndMalformedFramesAreIgnored() {
    byte[] reply = request(A1, A2.ip());
    reply[21] = 2;
    assertTrue(answer(NET_A, reply).isEmpty());
    byte[] ipv4 = request(A1, A2.ip());
    ipv4[13] = 0x00;
    assertTrue(answer(NET_A, ipv4).isEmpty());
    assertTrue(answer(NET_A, new byte[10]).isEmpty());
    assertTrue(answer(NET_A, new byte[0]).isEmpty());
  }

  @Test
  void codecRoundTrips() {
    ArpPacket p = ArpPacket.parse(request(B1, "172.17.42.10")).orElseThrow();
    assertArrayEquals(request(B1, "172.17.42.10"), p.toFrame());
  }

  private static MacAddress answeredMac(Network net, Port asker, String targetIp) {
    return ArpPacket.parse(answer(net, request(asker, targetIp)).orElseThrow()).orElseThrow().sha();
  }

  private static Optional<byte[]> answer(Network net, byte[] frame) {
    return ArpResponder.answer(MODEL, net, frame);
  }

  static byte[] request(Port asker, String targetIp) {
    return new ArpPacket(MacAddress.of(asker.mac()), BROADCAST, ArpPacket.REQUEST,
        MacAddress.of(asker.mac()), IPv4Address.of(asker.ip()), MacAddress.NONE,
        IPv4Address.of(targetIp)).toFrame();
  }
}
