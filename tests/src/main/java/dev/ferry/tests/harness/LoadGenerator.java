package dev.ferry.tests.harness;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * Emulated switches that put packet-in load on a controller: connect, wait for every
 * handshake, {@link #start()}, read {@link #counters()} and {@link #takeLatencies()} as often
 * as needed, {@link #stop()} and {@link #drain} so the totals are exact.
 */
public final class LoadGenerator implements AutoCloseable {
  private final SwitchEmulator emulator;
  private final List<SwitchLoad> loads;

  private LoadGenerator(SwitchEmulator emulator, List<SwitchLoad> loads) {
    this.emulator = emulator;
    this.loads = loads;
  }

  /** Connects and handshakes; throws {@link HandshakeException} if any switch fails. */
  public static LoadGenerator connect(EmulatorConfig config, LoadSpec spec,
      Workload.Factory workloads, Duration handshakeTimeout) {
    List<SwitchLoad> loads = new ArrayList<>();
    long timeout = spec.responseTimeout().toNanos();
    SwitchEmulator emu = SwitchEmulator.connect(config, d -> {
      SwitchLoad l = new SwitchLoad(workloads.forSwitch(d), spec.mode(), spec.window(), timeout,
          d.dpid() * 0x9E3779B97F4A7C15L);
      loads.add(l);
      return l;
    });
    LoadGenerator gen = new LoadGenerator(emu, loads);
    try {
      emu.awaitReady(handshakeTimeout);
    } catch (RuntimeException e) {
      gen.close();
      throw e;
    }
    return gen;
  }

  public SwitchEmulator emulator() { return emulator; }

  public OFVersion version() { return emulator.config().version(); }

  public void start() { onEachLoop(l -> { l.start(); return null; }); }

  public void stop() { onEachLoop(l -> { l.stop(); return null; }); }

  /** After {@link #stop()}: waits until no packet-in is in flight (answered or timed out). */
  public boolean drain(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (onEachLoop(SwitchLoad::inFlight).stream().mapToInt(Integer::intValue).sum() == 0) {
        return true;
      }
      Thread.sleep(5);
    }
    return false;
  }

  /** Counters summed over all switches, read consistently on each switch's event loop. */
  public LoadCounters counters() {
    return onEachLoop(SwitchLoad::counters).stream().reduce(LoadCounters.ZERO, LoadCounters::plus);
  }

  /** Every latency sample (ns) since the last call, all switches. */
  public long[] takeLatencies() {
    List<long[]> parts = onEachLoop(SwitchLoad::takeLatencies);
    long[] all = new long[parts.stream().mapToInt(a -> a.length).sum()];
    int at = 0;
    for (long[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  @Override
  public void close() { emulator.close(); }

  private interface LoadTask<T> {
    T run(SwitchLoad load);
  }

  private <T> List<T> onEachLoop(LoadTask<T> task) {
    List<EmulatedSwitch> switches = emulator.switches();
    List<Future<T>> futures = new ArrayList<>(loads.size());
    for (int i = 0; i < loads.size(); i++) {
      SwitchLoad load = loads.get(i);
      EventLoop loop = switches.get(i).channel().eventLoop();
      Callable<T> c = () -> task.run(load);
      futures.add(loop.submit(c));
    }
    List<T> out = new ArrayList<>(futures.size());
    for (Future<T> f : futures) {
      out.add(await(f));
    }
    return out;
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("load task failed: " + e.getCause(), e.getCause());
    }
  }
}
