package dev.ferry.apps.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ferry.apps.FuzzBudget;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/** UDP parsing over any IPv4 payload is total, and a parsed datagram survives encoding. */
class UdpDatagramFuzzTest {
  private static final IPv4Address A = IPv4Address.of("10.0.0.1");
  private static final IPv4Address B = IPv4Address.of("10.0.0.2");

  @FuzzTest(maxDuration = FuzzBudget.PER_TARGET)
  void parse(byte[] payload) {
    UdpDatagram.parse(ip(payload)).ifPresent(udp -> {
      UdpDatagram again = UdpDatagram.parse(ip(udp.encode(A, B))).orElseThrow();
      assertEquals(udp.srcPort(), again.srcPort());
      assertEquals(udp.dstPort(), again.dstPort());
      assertArrayEquals(udp.payload(), again.payload());
    });
  }

  private static Ipv4Frame ip(byte[] payload) {
    return new Ipv4Frame(MacAddress.of(1), MacAddress.of(2), A, B, Ipv4Frame.UDP, 64, payload);
  }
}
