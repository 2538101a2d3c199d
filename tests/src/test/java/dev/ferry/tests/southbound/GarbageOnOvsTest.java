package dev.ferry.tests.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.southbound.OpenFlowServer;
import dev.ferry.southbound.SouthboundConfig;
import dev.ferry.southbound.SwitchHandle;
import dev.ferry.southbound.flow.FlowReconciler;
import dev.ferry.southbound.flow.ReconcileResult;
import dev.ferry.tests.bench.PipelineFlows;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Garbage on fresh TCP connections to the OpenFlow port: each such channel is closed by the
 * server (at once when the bytes are malformed, by the handshake timeout when they only stall),
 * while two real OVS switches on the same server stay connected and keep serving.
 */
@ExtendWith(LabExtension.class)
class GarbageOnOvsTest {
  private static final int MAX_MESSAGE = 16 * 1024;
  private static final Duration HANDSHAKE = Duration.ofSeconds(1);
  private static final Duration CLOSED_WITHIN = HANDSHAKE.plusSeconds(3);
  private static final byte OF13 = 4;
  private static final byte HELLO = 0;
  private static final byte FLOW_MOD = 14;

  @Test
  void garbageConnectionsAreClosedAndRealSwitchesKeepServing(Lab lab) throws Exception {
    SwitchEvents events = new SwitchEvents();
    SouthboundConfig config = SouthboundConfig.defaults().withBindAddress(lab.controllerListenAddress())
        .withKeepalive(Duration.ofSeconds(1), Duration.ofSeconds(3))
        .withMaxMessageSize(MAX_MESSAGE).withHandshakeTimeout(HANDSHAKE);
    try (OpenFlowServer server = new OpenFlowServer(config).addListener(events).start()) {
      List<LabHost> hosts = lab.addHosts("h1", "h2");
      SwitchHandle sw1 = events.awaitReady(hosts.get(0).datapathId(), 0, Duration.ofSeconds(15)).sw();
      SwitchHandle sw2 = events.awaitReady(hosts.get(1).datapathId(), 0, Duration.ofSeconds(15)).sw();
      InetSocketAddress port = lab.controllerListenAddress();

      byte[] random = new byte[4096];
      new Random(42).nextBytes(random);
      report("random bytes", assertClosedAfter(port, random, false));
      report("4-byte header, half-closed", assertClosedAfter(port, new byte[] {OF13, HELLO, 0, 8}, true));
      report("4-byte header, then silence", assertClosedAfter(port, new byte[] {OF13, HELLO, 0, 8}, false));
      report("OF1.3 header claiming 65535 bytes (max " + MAX_MESSAGE + ")",
          assertClosedAfter(port, partial(0xFFFF, 1000), false));
      report("OF1.3 header claiming 12000 bytes, 1000 sent",
          assertClosedAfter(port, partial(12_000, 1000), false));
      report("HELLO, then a length below the header size",
          assertClosedAfter(port, concat(header(HELLO, 8), header(FLOW_MOD, 4)), false));

      assertEquals(List.of(), events.all().stream().filter(e -> e.kind() != SwitchEvents.Kind.READY).toList(),
          "no switch disconnected, no other events");
      assertEquals(2, events.all().size(), "no garbage connection ever became a switch");
      assertEquals(sw1, server.registry().get(sw1.datapathId()).orElseThrow());
      assertEquals(sw2, server.registry().get(sw2.datapathId()).orElseThrow());
      FlowReconciler reconciler = new FlowReconciler();
      for (SwitchHandle sw : List.of(sw1, sw2)) {
        sw.barrier().get(5, TimeUnit.SECONDS);
        ReconcileResult result = reconciler.reconcile(sw, PipelineFlows.desired(50)).get(10, TimeUnit.SECONDS);
        assertEquals(50, result.flowsAdded(), sw + ": " + result);
      }
      assertEquals(50, hosts.get(0).dumpFlows().size());
      assertEquals(50, hosts.get(1).dumpFlows().size());
    }
  }

  /** Sends {@code bytes} on a fresh connection and returns how long until the server closed it. */
  private static long assertClosedAfter(InetSocketAddress port, byte[] bytes, boolean halfClose) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(port, 5_000);
      socket.setSoTimeout((int) CLOSED_WITHIN.toMillis());
      long sent = System.nanoTime();
      socket.getOutputStream().write(bytes);
      if (halfClose) {
        socket.shutdownOutput();
      }
      assertTrue(readsUntilClosed(socket.getInputStream()), "server closed the connection within " + CLOSED_WITHIN);
      return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
    }
  }

  /** Drains the server's HELLO (and anything else) until EOF or reset; false on timeout. */
  private static boolean readsUntilClosed(InputStream in) throws IOException {
    byte[] buffer = new byte[4096];
    try {
      while (in.read(buffer) >= 0) {
        // the server greets every connection with its HELLO first
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  private static void report(String what, long millis) {
    System.out.printf("garbage: %-50s closed by the server after %4d ms%n", what, millis);
  }

  private static byte[] header(byte type, int length) {
    return ByteBuffer.allocate(8).put(OF13).put(type).putShort((short) length).putInt(7).array();
  }

  /** An OpenFlow 1.3 flow-mod header claiming {@code claimed} bytes, followed by only {@code sent} of them. */
  private static byte[] partial(int claimed, int sent) {
    return concat(header(FLOW_MOD, claimed), new byte[sent - 8]);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
  }
}
