package dev.ferry.controller.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.controller.engine.PacketInCounters;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PacketKindTest {
  static final String ETH = "ffffffffffff" + "020000000001";

  @Test
  void arpDhcpAndTheRest() {
    assertEquals("arp", PacketInCounters.kind(bytes(ETH + "0806" + "0001080006040001")));
    // IPv4, IHL 5, protocol 17 (UDP), then UDP 68 -> 67
    String ip = "4500014800000000" + "4011" + "0000" + "00000000" + "ffffffff";
    assertEquals("dhcp", PacketInCounters.kind(bytes(ETH + "0800" + ip + "00440043" + "01340000")));
    assertEquals("other", PacketInCounters.kind(bytes(ETH + "0800" + ip + "00350035" + "01340000")), "DNS is not DHCP");
    String icmp = "4500001c00000000" + "4001" + "0000" + "0a000001" + "0a000002";
    assertEquals("other", PacketInCounters.kind(bytes(ETH + "0800" + icmp + "0800f7ff00000000")));
    assertEquals("arp", PacketInCounters.kind(bytes(ETH + "8100" + "0064" + "0806" + "0001")), "VLAN-tagged ARP");
    assertEquals("other", PacketInCounters.kind(new byte[3]));
    assertEquals("other", PacketInCounters.kind(null));
  }

  private static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex);
  }
}
