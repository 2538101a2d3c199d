package dev.ferry.apps.gateway;

import static dev.ferry.apps.testing.SeedScenario.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

class TimeExceededResponderTest {
  private static final byte[] UDP_PROBE = {0x7a, 0x69, (byte) 0x82, (byte) 0x9b, 0, 12, 0, 0, 'a', 'b', 'c', 'd'};

  @Test
  void anExpiredPacketThroughTheGatewayGetsTimeExceededFromTheGatewayQuotingItsHeader() {
    byte[] probe = probe(1, GatewayMac.of(NET_A), "10.9.9.9", Ipv4Frame.UDP, UDP_PROBE);
    Ipv4Frame reply = Ipv4Frame.parse(TimeExceededResponder.answer(NET_A, probe).orElseThrow()).orElseThrow();
    assertEquals(GatewayMac.of(NET_A), reply.ethSrc());
    assertEquals(MacAddress.of(A1.mac()), reply.ethDst());
    assertEquals(IPv4Address.of(NET_A.gatewayIp()), reply.src());
    assertEquals(IPv4Address.of(A1.ip()), reply.dst());
    byte[] icmp = reply.payload();
    assertEquals(11, icmp[0], "time exceeded");
    assertEquals(0, icmp[1], "in transit");
    assertEquals(0, Checksums.internet(icmp, 0, icmp.length));
    assertArrayEquals(Arrays.copyOfRange(probe, 14, 14 + 28), Arrays.copyOfRange(icmp, 8, icmp.length),
        "IP header and first 8 bytes of the expired packet");
  }

  @Test
  void livePacketsPacketsToTheGatewayItselfOtherMacsAndIcmpErrorsGetNothing() {
    assertTrue(TimeExceededResponder.answer(NET_A,
        probe(2, GatewayMac.of(NET_A), "10.9.9.9", Ipv4Frame.UDP, UDP_PROBE)).isEmpty(), "TTL 2 lives on");
    assertTrue(TimeExceededResponder.answer(NET_A,
        probe(1, GatewayMac.of(NET_A), NET_A.gatewayIp(), Ipv4Frame.UDP, UDP_PROBE)).isEmpty(), "for the gateway itself");
    assertTrue(TimeExceededResponder.answer(NET_A,
        probe(1, MacAddress.of(A2.mac()), "10.9.9.9", Ipv4Frame.UDP, UDP_PROBE)).isEmpty(), "not routed");
    byte[] unreachable = {3, 3, 0, 0, 0, 0, 0, 0};
    assertTrue(TimeExceededResponder.answer(NET_A,
        probe(1, GatewayMac.of(NET_A), "10.9.9.9", Ipv4Frame.ICMP, unreachable)).isEmpty(), "no error about an error");
  }

  @Test
  void tcpdumpReadsTheAnswerAsTimeExceededInTransit() throws Exception {
    assumeTrue(Tcpdump.available());
    String out = Tcpdump.decode(TimeExceededResponder.answer(NET_A,
        probe(1, GatewayMac.of(NET_A), "10.9.9.9", Ipv4Frame.UDP, UDP_PROBE)).orElseThrow());
    assertTrue(out.contains("172.17.42.1 > 172.17.42.2: ICMP time exceeded in-transit"), out);
    assertFalse(out.contains("bad") || out.contains("wrong"), out);
  }

  private static byte[] probe(int ttl, MacAddress ethDst, String dst, int protocol, byte[] payload) {
    return new Ipv4Frame(MacAddress.of(A1.mac()), ethDst, IPv4Address.of(A1.ip()), IPv4Address.of(dst),
        protocol, ttl, payload).toFrame();
  }
}
