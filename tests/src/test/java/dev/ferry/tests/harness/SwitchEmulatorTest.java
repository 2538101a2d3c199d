package dev.ferry.tests.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.U64;

/** Many switches over real loopback TCP: dpids, seeded flows, and the scale-mode wait. */
class SwitchEmulatorTest {
  private final OFFactory of13 = OFFactories.getFactory(OFVersion.OF_13);

  @Test
  void switchesConnectWithTheirOwnDpidAndSeededFlows() throws Exception {
    try (EchoController echo = EchoController.start(0, 4, EchoController.Misbehaviour.NONE);
        SwitchEmulator emu = SwitchEmulator.connectWithFlows(
            EmulatorConfig.of("127.0.0.1", echo.port(), 50, OFVersion.OF_13),
            sw -> List.of(of13.buildFlowAdd().setPriority(1).setCookie(U64.of(sw.dpid())).build(),
                of13.buildFlowAdd().setPriority(2).setCookie(U64.of(sw.dpid())).build()))) {
      emu.awaitReady(Duration.ofSeconds(20));
      assertEquals(50, emu.switches().stream().map(EmulatedSwitch::dpid).distinct().count());
      EmulatedSwitch last = emu.switches().get(49);
      assertEquals(List.of(50L, 50L),
          last.flowsSnapshot().stream().map(f -> f.cookie().getValue()).toList());
      assertTrue(emu.awaitFlows(sw -> 2, Duration.ofSeconds(1)).toMillis() < 1000);
      assertThrows(IllegalStateException.class,
          () -> emu.awaitFlows(sw -> 3, Duration.ofMillis(50)));
    }
  }

  @Test
  void noControllerListeningIsALoudFailure() {
    HandshakeException e = assertThrows(HandshakeException.class, () -> SwitchEmulator.connect(
        EmulatorConfig.of("127.0.0.1", 1, 1, OFVersion.OF_13)));
    assertTrue(e.getMessage().contains("cannot connect switch 1"), e.getMessage());
  }
}
