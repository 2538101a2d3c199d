package dev.ferry.tests.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.projectfloodlight.openflow.protocol.OFVersion;

/** The harness against {@link EchoController}: it counts exactly what came back. */
class LoadGeneratorTest {
  private static final Duration HANDSHAKE = Duration.ofSeconds(10);

  private static LoadSpec spec(LoadMode mode) {
    return new LoadSpec(mode, 32, Duration.ofSeconds(5), 1, 0, Duration.ofMillis(200));
  }

  private static int wire(OFVersion v) { return v.getWireVersion(); }

  @ParameterizedTest
  @EnumSource(value = LoadMode.class)
  void countsEveryPacketOutOfCbenchLoadInBothVersions(LoadMode mode) throws Exception {
    for (OFVersion v : List.of(OFVersion.OF_10, OFVersion.OF_13)) {
      try (EchoController echo = EchoController.start(0, wire(v), EchoController.Misbehaviour.NONE);
          LoadGenerator gen = LoadGenerator.connect(
              EmulatorConfig.of("127.0.0.1", echo.port(), 4, v).withStoreFlows(false),
              spec(mode), CbenchWorkload.factory(16), HANDSHAKE)) {
        LoadCounters c = runBriefly(gen);
        assertTrue(c.sent() > 100, "sent only " + c.sent());
        assertEquals(echo.packetOuts(), c.responses(), v + " responses");
        assertEquals(c.sent(), c.packetOuts(), v + " every packet-in answered once");
        assertEquals(c.sent(), c.matched(), v + " every answer matched by buffer id");
        assertEquals(c.sent(), gen.takeLatencies().length);
        assertEquals(0, c.timeouts() + c.wrongAnswers());
      }
    }
  }

  @Test
  void arpRequestsForUnknownAddressesThatGetAnAnswerAreErrors() throws Exception {
    List<ProvisionedPort> ports = ProvisionedPorts.synthetic(1, 4, 4, 2);
    try (EchoController echo = EchoController.start(0, 4, EchoController.Misbehaviour.NONE);
        LoadGenerator gen = LoadGenerator.connect(
            EmulatorConfig.of("127.0.0.1", echo.port(), 4, OFVersion.OF_13).withStoreFlows(false),
            spec(LoadMode.THROUGHPUT), ArpWorkload.factory(ports, 0.2), HANDSHAKE)) {
      LoadCounters c = runBriefly(gen);
      long silent = c.sent() - c.matched();
      assertEquals(echo.packetOuts(), c.responses());
      assertEquals(c.sent(), c.responses(), "the echo controller floods every request back");
      assertTrue(silent > 0.1 * c.sent() && silent < 0.3 * c.sent(), "silent " + silent);
      assertEquals(silent, c.wrongAnswers(), "each echoed unknown-address request is an error");
    }
  }

  @Test
  void controllerOfferingOnlyOf10FailsAnOf13Run() {
    try (EchoController echo = EchoController.start(0, 1, EchoController.Misbehaviour.NONE)) {
      HandshakeException e = assertThrows(HandshakeException.class, () -> LoadGenerator.connect(
          EmulatorConfig.of("127.0.0.1", echo.port(), 2, OFVersion.OF_13),
          spec(LoadMode.LATENCY), CbenchWorkload.factory(4), HANDSHAKE));
      assertTrue(e.getMessage().contains("does not offer OF_13"), e.getMessage());
    }
  }

  @Test
  void aMessageNoSwitchExpectsFailsTheHandshake() {
    try (EchoController echo = EchoController.start(0, 4,
        EchoController.Misbehaviour.PACKET_IN_AFTER_HELLO)) {
      HandshakeException e = assertThrows(HandshakeException.class, () -> LoadGenerator.connect(
          EmulatorConfig.of("127.0.0.1", echo.port(), 2, OFVersion.OF_13),
          spec(LoadMode.LATENCY), CbenchWorkload.factory(4), HANDSHAKE));
      assertTrue(e.getMessage().contains("does not understand message type 10"), e.getMessage());
    }
  }

  @Test
  void aControllerDroppingSwitchesMidRunIsAFailureNotAQuietDip() throws Exception {
    EchoController echo = EchoController.start(0, 4, EchoController.Misbehaviour.NONE);
    try (LoadGenerator gen = LoadGenerator.connect(
        EmulatorConfig.of("127.0.0.1", echo.port(), 2, OFVersion.OF_13).withStoreFlows(false),
        spec(LoadMode.THROUGHPUT), CbenchWorkload.factory(4), HANDSHAKE)) {
      gen.start();
      echo.close();
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (gen.emulator().firstFailure().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      String why = gen.emulator().firstFailure().orElseThrow().getMessage();
      assertTrue(why.contains("controller closed the connection of dpid"), why);
    }
  }

  private static LoadCounters runBriefly(LoadGenerator gen) throws InterruptedException {
    gen.start();
    Thread.sleep(300);
    gen.stop();
    assertTrue(gen.drain(Duration.ofSeconds(5)), "packet-ins still in flight");
    return gen.counters();
  }
}
