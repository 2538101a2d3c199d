package dev.ferry.apps.gateway;

import static dev.ferry.apps.testing.SeedScenario.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.apps.packet.Checksums;
import dev.ferry.apps.packet.Ipv4Frame;
import dev.ferry.apps.testing.Tcpdump;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

class IcmpEchoResponderTest {
  private static final byte[] DATA = "ferry-ping-payload".getBytes();

  @Test
  void answersAPingToTheGatewayWithTheSameIdSequenceAndData() {
    Ipv4Frame reply = Ipv4Frame.parse(IcmpEchoResponder.answer(NET_A, ping(NET_A.gatewayIp(),
        GatewayMac.of(NET_A))).orElseThrow()).orElseThrow();
    assertEquals(GatewayMac.of(NET_A), reply.ethSrc());
    assertEquals(MacAddress.of(A1.mac()), reply.ethDst());
    assertEquals(IPv4Address.of(NET_A.gatewayIp()), reply.src());
    assertEquals(IPv4Address.of(A1.ip()), reply.dst());
    byte[] icmp = reply.payload();
    assertEquals(0, icmp[0], "echo reply");
    assertEquals(0x1234, ((icmp[4] & 0xff) << 8) | (icmp[5] & 0xff), "identifier");
    assertEquals(7, icmp[7], "sequence");
    assertTrue(Arrays.equals(DATA, Arrays.copyOfRange(icmp, 8, icmp.length)));
    assertEquals(0, Checksums.internet(icmp, 0, icmp.length), "ICMP checksum");
  }

  @Test
  void answersForTheGatewaysOfRoutedNetworksOnlyWhenGivenThem() {
    var other = new dev.ferry.apps.model.Network("net-c", NET_A.tenantId(), "c", 300, "10.0.3.0/24",
        "10.0.3.1", true, 1450, java.util.List.of(), null, 1);
    byte[] toOtherGateway = ping(other.gatewayIp(), GatewayMac.of(NET_A));
    Ipv4Frame reply = Ipv4Frame.parse(IcmpEchoResponder.answer(NET_A, java.util.List.of(other),
        toOtherGateway).orElseThrow()).orElseThrow();
    assertEquals(IPv4Address.of("10.0.3.1"), reply.src(), "answered as the address pinged");
    assertEquals(GatewayMac.of(NET_A), reply.ethSrc(), "from the sender's own gateway MAC");
    assertTrue(IcmpEchoResponder.answer(NET_A, toOtherGateway).isEmpty(), "not routed there: no answer");
  }

  @Test
  void ignoresPingsToOtherAddressesOtherMacsOrWithBadChecksums() {
    assertTrue(IcmpEchoResponder.answer(NET_A, ping(A2.ip(), GatewayMac.of(NET_A))).isEmpty());
    assertTrue(IcmpEchoResponder.answer(NET_A, ping(NET_A.gatewayIp(), GatewayMac.of(NET_B)))
        .isEmpty(), "another network's gateway MAC");
    byte[] bad = ping(NET_A.gatewayIp(), GatewayMac.of(NET_A));
    assertTrue(IcmpEchoResponder.answer(NET_A, corruptIcmp(bad)).isEmpty());
  }

  @Test
  void tcpdumpReadsTheReplyAsAnEchoReplyWithGoodChecksums() throws Exception {
    assumeTrue(Tcpdump.available());
    String out = Tcpdump.decode(IcmpEchoResponder.answer(NET_A, ping(NET_A.gatewayIp(),
        GatewayMac.of(NET_A))).orElseThrow());
    assertTrue(out.contains("172.17.42.1 > 172.17.42.2: ICMP echo reply, id 4660, seq 7"), out);
    assertFalse(out.contains("bad") || out.contains("wrong"), out);
  }

  @Test
  void gatewayMacIsPerNetworkAndRecognisable() {
    assertEquals(MacAddress.of("02:fe:00:00:00:64"), GatewayMac.of(NET_A));
    assertTrue(GatewayMac.isGateway(GatewayMac.of(NET_B)));
    assertFalse(GatewayMac.isGateway(MacAddress.of(A1.mac())));
  }

  private static byte[] corruptIcmp(byte[] frame) {
    frame[14 + 20 + 8] ^= 0x55;
    return frame;
  }

  static byte[] ping(String dstIp, MacAddress dstMac) {
    byte[] icmp = new byte[8 + DATA.length];
    icmp[0] = 8;
    icmp[4] = 0x12;
    icmp[5] = 0x34;
    icmp[7] = 7;
    System.arraycopy(DATA, 0, icmp, 8, DATA.length);
    int c = Checksums.internet(icmp, 0, icmp.length);
    icmp[2] = (byte) (c >> 8);
    icmp[3] = (byte) c;
    return new Ipv4Frame(MacAddress.of(A1.mac()), dstMac, IPv4Address.of(A1.ip()),
        IPv4Address.of(dstIp), Ipv4Frame.ICMP, 64, icmp).toFrame();
  }
}
