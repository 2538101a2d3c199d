package dev.ferry.southbound.nicira;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.southbound.nicira.CraftedFlowStats.Forged;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.CorruptedFrameException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;

/**
 * The stand-in rewrite over lengths an attacker chose: each is rejected within moments, never
 * a loop that does not advance (once 100 % CPU for good) or one that copies without end (once
 * gigabytes of heap).
 */
class NiciraStandInsTotalTest {
  @Test
  void theWellFormedReplyIsRewritten() throws Exception {
    ByteBuf rewritten = NiciraStandIns.rewrite(Unpooled.wrappedBuffer(CraftedFlowStats.bytes(Forged.NONE, 0)));
    OFFlowStatsReply reply = (OFFlowStatsReply) OFFactories.getGenericReader().readFrom(rewritten);
    assertTrue(reply.getEntries().get(0).getInstructions().toString().contains("BsnChecksum"));
  }

  @ParameterizedTest(name = "{0} length {1}")
  @CsvSource({
      "ENTRY, 0", "ENTRY, 1", "ENTRY, 55", "ENTRY, 81", "ENTRY, 65535",
      "MATCH, 0", "MATCH, 3", "MATCH, 33", "MATCH, 65535",
      "INSTRUCTION, 0", "INSTRUCTION, 3", "INSTRUCTION, 7", "INSTRUCTION, 25",
      "ACTION, 0", "ACTION, 7", "ACTION, 17", "ACTION, 65535"})
  void aForgedLengthIsRejectedPromptly(Forged forged, int value) {
    byte[] crafted = CraftedFlowStats.bytes(forged, value);
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(
        CorruptedFrameException.class, () -> NiciraStandIns.rewrite(Unpooled.wrappedBuffer(crafted))));
  }

  @Test
  void aMessageLengthOtherThanTheFrameIsRejected() {
    byte[] crafted = CraftedFlowStats.bytes(Forged.NONE, 0);
    crafted[3] = 80;
    assertThrows(CorruptedFrameException.class,
        () -> NiciraStandIns.rewrite(Unpooled.wrappedBuffer(crafted)));
  }
}
