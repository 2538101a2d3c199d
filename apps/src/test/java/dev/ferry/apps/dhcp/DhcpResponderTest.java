package dev.ferry.apps.dhcp;

import static dev.ferry.apps.testing.SeedScenario.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.apps.gateway.GatewayMac;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.packet.Ipv4Frame;
import dev.ferry.apps.packet.UdpDatagram;
import dev.ferry.apps.testing.Tcpdump;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

class DhcpResponderTest {
  private static final int XID = 0x3903f326;

  @Test
  void discoverGetsAnOfferOfThePortsAddressWithTheNetworksConfiguration() {
    DhcpMessage offer = reply(NET_A, A1, request(A1, DhcpResponder.DISCOVER, Map.of(), 0));
    assertEquals(DhcpMessage.BOOTREPLY, offer.op());
    assertEquals(XID, offer.xid());
    assertEquals(Optional.of(DhcpResponder.OFFER), offer.messageType());
    assertEquals(IPv4Address.of(A1.ip()), offer.yiaddr());
    assertEquals(Optional.of(IPv4Address.of("255.255.255.0")),
        offer.ipOption(DhcpMessage.OPT_SUBNET_MASK));
    assertEquals(Optional.of(IPv4Address.of("172.17.42.1")), offer.ipOption(DhcpMessage.OPT_ROUTER));
    assertEquals(Optional.of(IPv4Address.of("172.17.42.1")),
        offer.ipOption(DhcpMessage.OPT_SERVER_ID));
    assertEquals(Optional.of(IPv4Address.of("8.8.8.8")), offer.ipOption(DhcpMessage.OPT_DNS));
    assertArrayEquals(new byte[] {0x05, (byte) 0xaa}, offer.options().get(DhcpMessage.OPT_MTU));
    assertArrayEquals("a1".getBytes(), offer.options().get(DhcpMessage.OPT_HOSTNAME));
    assertEquals(86400, ByteBuffer.wrap(offer.options().get(DhcpMessage.OPT_LEASE_TIME)).getInt());
  }

  @Test
  void requestForThePortsAddressIsAcked() {
    DhcpMessage ack = reply(NET_A, A1, request(A1, DhcpResponder.REQUEST, Map.of(
        DhcpMessage.OPT_REQUESTED_IP, ip(A1.ip()), DhcpMessage.OPT_SERVER_ID, ip("172.17.42.1")), 0));
    assertEquals(Optional.of(DhcpResponder.ACK), ack.messageType());
    assertEquals(IPv4Address.of(A1.ip()), ack.yiaddr());
  }

  @Test
  void requestForAnotherAddressIsNakedAndBroadcast() {
    byte[] frame = answer(NET_A, A1, request(A1, DhcpResponder.REQUEST,
        Map.of(DhcpMessage.OPT_REQUESTED_IP, ip("172.17.42.77")), 0)).orElseThrow();
    DhcpMessage nak = dhcp(frame);
    assertEquals(Optional.of(DhcpResponder.NAK), nak.messageType());
    assertEquals(IPv4Address.NONE, nak.yiaddr());
    assertEquals(IPv4Address.NO_MASK, Ipv4Frame.parse(frame).orElseThrow().dst());
  }

  @Test
  void requestThatChoseAnotherServerGetsNoAnswer() {
    assertTrue(answer(NET_A, A1, request(A1, DhcpResponder.REQUEST, Map.of(
        DhcpMessage.OPT_REQUESTED_IP, ip(A1.ip()), DhcpMessage.OPT_SERVER_ID, ip("10.0.0.1")), 0))
        .isEmpty());
  }

  @Test
  void renewalFromCiaddrIsAckedUnicastToIt() {
    byte[] frame = answer(NET_A, A1, request(A1, DhcpResponder.REQUEST, Map.of(), 0,
        IPv4Address.of(A1.ip()))).orElseThrow();
    assertEquals(Optional.of(DhcpResponder.ACK), dhcp(frame).messageType());
    assertEquals(IPv4Address.of(A1.ip()), Ipv4Frame.parse(frame).orElseThrow().dst());
  }

  @Test
  void informGetsConfigurationWithoutAddressOrLease() {
    DhcpMessage ack = reply(NET_A, A1, request(A1, DhcpResponder.INFORM, Map.of(), 0,
        IPv4Address.of(A1.ip())));
    assertEquals(Optional.of(DhcpResponder.ACK), ack.messageType());
    assertEquals(IPv4Address.NONE, ack.yiaddr());
    assertFalse(ack.options().containsKey(DhcpMessage.OPT_LEASE_TIME));
    assertTrue(ack.options().containsKey(DhcpMessage.OPT_ROUTER));
  }

  @Test
  void releaseAndDeclineGetNoAnswer() {
    assertTrue(answer(NET_A, A1, request(A1, 7, Map.of(), 0)).isEmpty());
    assertTrue(answer(NET_A, A1, request(A1, 4, Map.of(), 0)).isEmpty());
  }

  @Test
  void answersOnlyTheRequestingPortsMacAndOnlyWhenTheNetworkServesDhcp() {
    assertTrue(answer(NET_A, A1, request(A2, DhcpResponder.DISCOVER, Map.of(), 0)).isEmpty());
    Network noDhcp = new Network("n", "tenant-a", "n", 300, "10.0.0.0/24", "10.0.0.1", false,
        1450, List.of(), null, 1);
    assertTrue(answer(noDhcp, A1, request(A1, DhcpResponder.DISCOVER, Map.of(), 0)).isEmpty());
  }

  @Test
  void replyFrameComesFromTheGatewayToTheClientsMac() {
    Ipv4Frame ip = Ipv4Frame.parse(answer(NET_B, B1, request(B1, DhcpResponder.DISCOVER,
        Map.of(), DhcpMessage.BROADCAST_FLAG)).orElseThrow()).orElseThrow();
    assertEquals(GatewayMac.of(NET_B), ip.ethSrc());
    assertEquals(MacAddress.of(B1.mac()), ip.ethDst());
    assertEquals(IPv4Address.NO_MASK, ip.dst(), "client asked for broadcast");
  }

  @Test
  void tcpdumpReadsTheOfferWithAllOptionsAndGoodChecksums() throws Exception {
    assumeTrue(Tcpdump.available());
    String out = Tcpdump.decode(answer(NET_A, A1,
        request(A1, DhcpResponder.DISCOVER, Map.of(), 0)).orElseThrow());
    for (String expected : List.of("BOOTP/DHCP, Reply", "Your-IP 172.17.42.2",
        "DHCP-Message (53), length 1: Offer", "Server-ID (54), length 4: 172.17.42.1",
        "Lease-Time (51), length 4: 86400", "Subnet-Mask (1), length 4: 255.255.255.0",
        "Default-Gateway (3), length 4: 172.17.42.1", "Domain-Name-Server (6), length 4: 8.8.8.8",
        "MTU (26), length 2: 1450", "Hostname (12), length 2: \"a1\"", "[udp sum ok]")) {
      assertTrue(out.contains(expected), expected + " not in:\n" + out);
    }
  }

  private static DhcpMessage reply(Network n, Port p, byte[] frame) {
    return dhcp(answer(n, p, frame).orElseThrow());
  }

  private static Optional<byte[]> answer(Network n, Port p, byte[] frame) {
    return DhcpResponder.answer(n, p, frame);
  }

  private static DhcpMessage dhcp(byte[] frame) {
    return DhcpMessage.parse(UdpDatagram.parse(Ipv4Frame.parse(frame).orElseThrow())
        .orElseThrow().payload()).orElseThrow();
  }

  private static byte[] ip(String a) {
    return IPv4Address.of(a).getBytes();
  }

  static byte[] request(Port client, int type, Map<Integer, byte[]> extra, int flags) {
    return request(client, type, extra, flags, IPv4Address.NONE);
  }

  static byte[] request(Port client, int type, Map<Integer, byte[]> extra, int flags,
      IPv4Address ciaddr) {
    Map<Integer, byte[]> options = new LinkedHashMap<>();
    options.put(DhcpMessage.OPT_MESSAGE_TYPE, new byte[] {(byte) type});
    options.putAll(extra);
    DhcpMessage m = new DhcpMessage(DhcpMessage.BOOTREQUEST, XID, flags, ciaddr,
        IPv4Address.NONE, IPv4Address.NONE, IPv4Address.NONE, MacAddress.of(client.mac()), options);
    IPv4Address src = ciaddr;
    IPv4Address dst = ciaddr.equals(IPv4Address.NONE) ? IPv4Address.NO_MASK : IPv4Address.of("172.17.42.1");
    byte[] udp = new UdpDatagram(68, 67, m.encode()).encode(src, dst);
    return new Ipv4Frame(MacAddress.of(client.mac()), MacAddress.BROADCAST, src, dst,
        Ipv4Frame.UDP, 64, udp).toFrame();
  }
}
