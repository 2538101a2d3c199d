package dev.ferry.controller.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** "attached a1 (...) to X": X names the network even when it has no name. */
class AttachMessageTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void networkWithoutNameIsShownByItsId() throws Exception {
    assertEquals("net-100", AttachCmd.networkLabel(JSON.readTree("{\"id\":\"net-100\",\"name\":null}")));
    assertEquals("net-100", AttachCmd.networkLabel(JSON.readTree("{\"id\":\"net-100\"}")));
    assertEquals("blue", AttachCmd.networkLabel(JSON.readTree("{\"id\":\"net-100\",\"name\":\"blue\"}")));
  }
}
