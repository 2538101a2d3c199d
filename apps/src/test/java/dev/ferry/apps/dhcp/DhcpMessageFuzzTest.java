package dev.ferry.apps.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ferry.apps.FuzzBudget;

/**
 * DHCP parsing over any UDP payload is total; what it parses (options included) encodes and
 * parses again to the same message.
 */
class DhcpMessageFuzzTest {
  @FuzzTest(maxDuration = FuzzBudget.PER_TARGET)
  void parse(byte[] payload) {
    DhcpMessage.parse(payload).ifPresent(m -> {
      m.messageType();
      m.ipOption(DhcpMessage.OPT_REQUESTED_IP);
      DhcpMessage again = DhcpMessage.parse(m.encode()).orElseThrow();
      assertEquals(m.xid(), again.xid());
      assertEquals(m.chaddr(), again.chaddr());
      assertEquals(m.options().keySet(), again.options().keySet());
    });
  }
}
