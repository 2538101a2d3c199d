package dev.ferry.apps.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ferry.apps.FuzzBudget;

/** ARP parsing is total (empty, never an exception) and what it parses survives a round trip. */
class ArpPacketFuzzTest {
  @FuzzTest(maxDuration = FuzzBudget.PER_TARGET)
  void parse(byte[] frame) {
    ArpPacket.parse(frame).ifPresent(arp ->
        assertEquals(arp, ArpPacket.parse(arp.toFrame()).orElseThrow()));
  }
}
