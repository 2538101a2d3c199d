package dev.ferry.tests.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.OperatingSystemMXBean;
import dev.ferry.controller.Ferry;
import dev.ferry.controller.FerryConfig;
import dev.ferry.controller.HostPort;
import dev.ferry.southbound.SouthboundConfig;
import dev.ferry.southbound.SwitchHandle;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.lab.Shell;
import dev.ferry.tests.scenario.FerryApi;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile clients on Ferry's OpenFlow port beside real OVS switches: the 80-byte message that
 * once pinned a worker for good, an endless multipart reply from a client claiming a
 * registered dpid, and a client claiming the dpid of a connected switch.
 */
@ExtendWith(LabExtension.class)
class HostileSwitchOnOvsTest {
  private static final String TOKEN = "hostile-test-token";

  @Test
  void craftedMessagesCloseTheirChannelsAndFourNewSwitchesStillConnect(Lab lab, @TempDir Path dir)
      throws Exception {
    try (Ferry ferry = start(lab, dir)) {
      InetSocketAddress port = lab.controllerListenAddress();
      for (int i = 0; i < 5; i++) {
        try (RawSwitch attacker = new RawSwitch(port)) {
          if (i < 3) {
            attacker.send(RawSwitch.header(RawSwitch.HELLO, 8, 1)); // then at once the attack
          } else {
            assertTrue(attacker.handshake(0xbad0L + i), "the attacker got through the handshake");
          }
          attacker.send(RawSwitch.zeroLengthInstruction(99));
          assertTrue(attacker.closedByController(), "crafted connection " + i + " not closed");
        }
      }
      double busy = cpuCoresBusyOver(Duration.ofSeconds(2));
      System.out.printf("hostile: after 5 crafted connections Ferry's JVM used %.2f cores%n", busy);
      assertTrue(busy < 0.5, "a worker still spins: " + busy + " cores busy while idle");

      List<LabHost> hosts = lab.addHosts("h1", "h2", "h3", "h4");
      for (LabHost h : hosts) {
        assertTrue(waitFor(() -> ferry.openflow().registry().get(h.datapathId()).isPresent(), 20),
            h.name() + " did not complete its handshake");
      }
      assertEquals(4, ferry.openflow().registry().size(), "only the real switches are connected");
    }
  }

  @Test
  void anEndlessMultipartReplyIsCutOffAndTheHeapStaysBounded(Lab lab, @TempDir Path dir)
      throws Exception {
    try (Ferry ferry = start(lab, dir)) {
      long dpid = 0xfeedL;
      new FerryApi("http://127.0.0.1:" + ferry.restPort(), TOKEN)
          .createHost("ghost", String.format("%016x", dpid), "192.168.5.77");
      long heapBefore = liveHeap();
      long sent = 0;
      try (RawSwitch attacker = new RawSwitch(lab.controllerListenAddress())) {
        assertTrue(attacker.handshake(dpid));
        long flowStatsXid = answerUntilFlowStatsRequest(attacker);
        byte[] part = RawSwitch.multipartReply(flowStatsXid, 1, true, flowEntries(1169));
        try {
          while (sent < 256L << 20) { // "more", for ever, as fast as the socket takes it
            attacker.send(part);
            sent += part.length;
          }
        } catch (IOException closedByFerry) {
          // the bound was hit and Ferry closed the channel
        }
      }
      long bound = SouthboundConfig.Limits.defaults().maxMultipartBytes();
      System.out.printf("hostile: endless flow stats reply cut off after %d MiB sent (bound %d MiB)%n",
          sent >> 20, bound >> 20);
      assertTrue(sent >= bound && sent < bound + (32L << 20),
          "closed after " + sent + " bytes, bound " + bound);
      long heapAfter = liveHeap();
      System.out.printf("hostile: live heap %d MiB before, %d MiB after%n", heapBefore >> 20, heapAfter >> 20);
      assertTrue(heapAfter < heapBefore + (64L << 20), "the reply's parts are still held");
      assertTrue(ferry.openflow().registry().get(dpid).isEmpty());
    }
  }

  @Test
  void aClientClaimingAConnectedDpidIsRefusedAndReceivesNoFlowMod(Lab lab, @TempDir Path dir)
      throws Exception {
    try (Ferry ferry = start(lab, dir)) {
      LabHost h1 = lab.addHosts("h1").get(0);
      new FerryApi("http://127.0.0.1:" + ferry.restPort(), TOKEN)
          .createHost(h1.name(), h1.datapathIdHex(), h1.tunnelIp());
      assertTrue(waitFor(() -> ferry.openflow().registry().get(h1.datapathId()).isPresent()
          && !h1.dumpFlows().isEmpty(), 20), "h1 did not connect and get its flows");
      SwitchHandle real = ferry.openflow().registry().get(h1.datapathId()).orElseThrow();

      List<Integer> received = new ArrayList<>();
      try (RawSwitch impostor = new RawSwitch(lab.controllerListenAddress())) {
        impostor.handshake(h1.datapathId());
        for (RawSwitch.Message m = impostor.next(); m != null; m = impostor.next()) {
          received.add(m.type());
        }
      }
      assertFalse(received.contains(RawSwitch.FLOW_MOD), "the impostor got flow-mods: " + received);
      assertEquals(real, ferry.openflow().registry().get(h1.datapathId()).orElseThrow(),
          "the live switch keeps its dpid");
      assertTrue(real.isConnected(), "the live switch was disconnected");
      real.barrier().get(5, TimeUnit.SECONDS); // and still answers
    }
  }

  private static Ferry start(Lab lab, Path dir) {
    return new Ferry(new FerryConfig(new HostPort(lab.controllerIp(), Lab.CONTROLLER_PORT),
        new HostPort("127.0.0.1", 0), dir.resolve("data"), TOKEN, Duration.ofSeconds(1),
        Duration.ofSeconds(3))).start();
  }

  /** Answers the handshake's tail and other requests until the flow stats request; its xid. */
  private static long answerUntilFlowStatsRequest(RawSwitch sw) throws IOException {
    for (RawSwitch.Message m = sw.next(); m != null; m = sw.next()) {
      if (m.type() == RawSwitch.MULTIPART_REQUEST && m.multipartType() == 1) {
        return m.xid();
      } else if (m.type() == RawSwitch.MULTIPART_REQUEST) {
        sw.send(RawSwitch.multipartReply(m.xid(), m.multipartType(), false, new byte[0]));
      } else if (m.type() == RawSwitch.BARRIER_REQUEST) {
        sw.send(RawSwitch.header(21, 8, m.xid()));
      } else if (m.type() == RawSwitch.ECHO_REQUEST) {
        sw.send(RawSwitch.header(3, 8, m.xid()));
      }
    }
    throw new AssertionError("Ferry closed the connection before asking for flow stats");
  }

  /** Flow stats entries of 56 bytes each: fixed part, empty match, no instructions. */
  private static byte[] flowEntries(int count) {
    ByteBuffer b = ByteBuffer.allocate(56 * count);
    for (int i = 0; i < count; i++) {
      b.putShort((short) 56).put((byte) 0).put((byte) 0).putInt(1).putInt(0).putShort((short) i)
          .putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0)
          .putLong(i).putLong(0).putLong(0).putShort((short) 1).putShort((short) 4).putInt(0);
    }
    return b.array();
  }

  private static long liveHeap() {
    System.gc();
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  private static double cpuCoresBusyOver(Duration window) {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu = os.getProcessCpuTime();
    long wall = System.nanoTime();
    Shell.pause(window.toMillis());
    return (double) (os.getProcessCpuTime() - cpu) / (System.nanoTime() - wall);
  }

  private static boolean waitFor(BooleanSupplier condition, int seconds) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Shell.pause(50);
    }
    return true;
  }
}
