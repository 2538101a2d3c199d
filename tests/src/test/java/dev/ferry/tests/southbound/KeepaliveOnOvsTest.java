package dev.ferry.tests.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.southbound.OpenFlowServer;
import dev.ferry.southbound.SouthboundConfig;
import dev.ferry.southbound.SwitchHandle;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.lab.Shell;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Echo keepalive against real OVS: a frozen ovs-vswitchd (SIGSTOP: TCP stays up, nothing
 * answers) is dropped after the dead timeout; a killed one is dropped at once; both come back
 * as ready switches when they run again. The other host never notices.
 */
@ExtendWith(LabExtension.class)
class KeepaliveOnOvsTest {
  private static final Duration ECHO = Duration.ofMillis(500);
  private static final Duration DEAD = Duration.ofMillis(1500);
  private static final Duration MARGIN = Duration.ofMillis(1000);
  private static final Duration READY = Duration.ofSeconds(15);

  @Test
  void frozenOrKilledSwitchIsDroppedWithinTheDeadTimeoutAndReconnects(Lab lab) throws Exception {
    SwitchEvents events = new SwitchEvents();
    try (OpenFlowServer server = new OpenFlowServer(SouthboundConfig.defaults()
        .withBindAddress(lab.controllerListenAddress()).withKeepalive(ECHO, DEAD))
        .addListener(events).start()) {
      List<LabHost> hosts = lab.addHosts("h1", "h2");
      LabHost h1 = hosts.get(0);
      LabHost h2 = hosts.get(1);
      SwitchHandle first = events.awaitReady(h1.datapathId(), 0, READY).sw();
      SwitchHandle other = events.awaitReady(h2.datapathId(), 0, READY).sw();

      long frozenMillis = freezeAndAwaitDrop(events, h1);
      System.out.printf("frozen vswitchd dropped after %d ms (echo %s, dead %s)%n", frozenMillis, ECHO, DEAD);
      assertTrue(frozenMillis >= ECHO.toMillis(), "dropped by the keepalive, not by a TCP close: " + frozenMillis);
      assertTrue(frozenMillis <= DEAD.plus(MARGIN).toMillis(), "dropped within dead timeout + margin: " + frozenMillis);
      assertTrue(server.registry().get(h1.datapathId()).isEmpty(), "registry dropped the frozen switch");

      int mark = events.size();
      thaw(h1);
      SwitchHandle second = events.awaitReady(h1.datapathId(), mark, READY).sw();
      assertNotSame(first, second, "a new connection");
      second.barrier().get(5, TimeUnit.SECONDS);

      mark = events.size();
      long killedAt = System.nanoTime();
      h1.killVswitchd();
      SwitchEvents.Event drop = events.await(mark,
          e -> e.kind() == SwitchEvents.Kind.DISCONNECTED && e.dpid() == h1.datapathId(), DEAD.plus(MARGIN));
      long killedMillis = TimeUnit.NANOSECONDS.toMillis(drop.nanos() - killedAt);
      System.out.printf("killed vswitchd dropped after %d ms%n", killedMillis);
      assertTrue(server.registry().get(h1.datapathId()).isEmpty(), "registry dropped the killed switch");

      mark = events.size();
      long restartAt = System.nanoTime();
      h1.restartVswitchd();
      SwitchHandle third = events.awaitReady(h1.datapathId(), mark, READY).sw();
      System.out.printf("restarted vswitchd ready after %d ms%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartAt));
      assertEquals(third, server.registry().get(h1.datapathId()).orElseThrow(), "registry holds the new connection");
      third.barrier().get(5, TimeUnit.SECONDS);

      assertEquals(List.of(), events.of(SwitchEvents.Kind.DISCONNECTED, h2.datapathId()), "h2 never dropped");
      assertEquals(other, server.registry().get(h2.datapathId()).orElseThrow(), "h2 keeps its first connection");
      other.barrier().get(5, TimeUnit.SECONDS);
    }
  }

  /** SIGSTOPs vswitchd: the kernel keeps its TCP connection up, but no echo reply comes. */
  private static long freezeAndAwaitDrop(SwitchEvents events, LabHost host) throws InterruptedException {
    int mark = events.size();
    long frozenAt = System.nanoTime();
    signal(host, "STOP");
    try {
      SwitchEvents.Event drop = events.await(mark,
          e -> e.kind() == SwitchEvents.Kind.DISCONNECTED && e.dpid() == host.datapathId(), DEAD.plus(MARGIN).multipliedBy(2));
      return TimeUnit.NANOSECONDS.toMillis(drop.nanos() - frozenAt);
    } catch (AssertionError | InterruptedException e) {
      thaw(host);
      throw e;
    }
  }

  private static void thaw(LabHost host) {
    signal(host, "CONT");
  }

  private static void signal(LabHost host, String signal) {
    long pid = host.daemonPids().get(1); // [ovsdb-server, ovs-vswitchd]
    Shell.check("kill", "-" + signal, Long.toString(pid));
  }
}
