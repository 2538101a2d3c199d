package dev.ferry.southbound;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Tunables of the OpenFlow listener. Defaults suit a LAN of OVS hosts; tests shorten the timers.
 *
 * @param bindAddress where the server listens (default 0.0.0.0:6653)
 * @param echoInterval send an echo request after this much read silence
 * @param deadTimeout close a switch that stayed silent this long despite echoes
 * @param maxMessageSize frames longer than this close the channel (OpenFlow caps at 65535)
 * @param writeLowWaterMark channel becomes writable again below this many queued bytes
 * @param writeHighWaterMark channel becomes unwritable above this many queued bytes
 * @param handshakeTimeout a switch not READY after this long is dropped
 * @param requestTimeout barrier and multipart futures fail after this long
 * @param stuckTimeout a channel unwritable this long is declared stuck and closed
 * @param maxQueuedMessages messages waiting for writability beyond this declare the switch stuck
 * @param workerThreads Netty worker threads (event loops); 0 = one per available processor
 *     (see {@link #eventLoopThreads()})
 * @param limits what one switch may make the controller hold (ports, multipart replies)
 */
public record SouthboundConfig(
    InetSocketAddress bindAddress,
    Duration echoInterval,
    Duration deadTimeout,
    int maxMessageSize,
    int writeLowWaterMark,
    int writeHighWaterMark,
    Duration handshakeTimeout,
    Duration requestTimeout,
    Duration stuckTimeout,
    int maxQueuedMessages,
    int workerThreads,
    Limits limits) {

  /**
   * Bounds on what one switch can make Ferry hold, so a peer that lies (or a fake switch) costs
   * a bounded amount of memory. Over a bound, the channel is closed.
   *
   * @param maxPorts ports one switch may describe (OVS allows 65279 per bridge)
   * @param maxMultipartParts parts of one multipart reply
   * @param maxMultipartBytes wire bytes of one multipart reply (all parts)
   */
  public record Limits(int maxPorts, int maxMultipartParts, long maxMultipartBytes) {
    /** 32 MiB of flow stats is ~200k flows, ten times the most a Ferry host holds in the benchmarks. */
    public static Limits defaults() {
      return new Limits(65_536, 16_384, 32L << 20);
    }
  }

  public static final int OPENFLOW_PORT = 6653;

  public SouthboundConfig {
    if (maxMessageSize < 8 || maxMessageSize > 0xFFFF) {
      throw new IllegalArgumentException("maxMessageSize must be in [8, 65535]: " + maxMessageSize);
    }
    if (writeLowWaterMark > writeHighWaterMark) {
      throw new IllegalArgumentException("low water mark above high water mark");
    }
    if (deadTimeout.compareTo(echoInterval) < 0) {
      throw new IllegalArgumentException("deadTimeout shorter than echoInterval");
    }
  }

  /**
   * The event loops to run: {@code workerThreads}, or one per processor this JVM may use
   * ({@code availableProcessors} honours taskset and cgroup limits) when 0. Not Netty's own
   * default of two per processor: the loops do the packet-in work themselves (CPU-bound), and
   * two busy loops on one core take turns by time slice, so a loop whose switch just sent a
   * packet-in waits until the kernel preempts the other one at a scheduler tick (4 ms at
   * HZ=250): the 4 ms p99 of docs/performance.md's latency mode.
   */
  public int eventLoopThreads() {
    return workerThreads > 0 ? workerThreads : Runtime.getRuntime().availableProcessors();
  }

  public static SouthboundConfig defaults() {
    return new SouthboundConfig(
        new InetSocketAddress("0.0.0.0", OPENFLOW_PORT),
        Duration.ofSeconds(5),
        Duration.ofSeconds(15),
        0xFFFF,
        256 * 1024,
        1024 * 1024,
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        Duration.ofSeconds(30),
        100_000,
        0,
        Limits.defaults());
  }

  public SouthboundConfig withBindAddress(InetSocketAddress address) {
    return new SouthboundConfig(address, echoInterval, deadTimeout, maxMessageSize,
        writeLowWaterMark, writeHighWaterMark, handshakeTimeout, requestTimeout, stuckTimeout,
        maxQueuedMessages, workerThreads, limits);
  }

  public SouthboundConfig withKeepalive(Duration echo, Duration dead) {
    return new SouthboundConfig(bindAddress, echo, dead, maxMessageSize, writeLowWaterMark,
        writeHighWaterMark, handshakeTimeout, requestTimeout, stuckTimeout, maxQueuedMessages,
        workerThreads, limits);
  }

  public SouthboundConfig withMaxMessageSize(int size) {
    return new SouthboundConfig(bindAddress, echoInterval, deadTimeout, size, writeLowWaterMark,
        writeHighWaterMark, handshakeTimeout, requestTimeout, stuckTimeout, maxQueuedMessages,
        workerThreads, limits);
  }

  public SouthboundConfig withWriteWaterMarks(int low, int high) {
    return new SouthboundConfig(bindAddress, echoInterval, deadTimeout, maxMessageSize, low, high,
        handshakeTimeout, requestTimeout, stuckTimeout, maxQueuedMessages, workerThreads, limits);
  }

  public SouthboundConfig withHandshakeTimeout(Duration timeout) {
    return new SouthboundConfig(bindAddress, echoInterval, deadTimeout, maxMessageSize,
        writeLowWaterMark, writeHighWaterMark, timeout, requestTimeout, stuckTimeout,
        maxQueuedMessages, workerThreads, limits);
  }

  public SouthboundConfig withRequestTimeout(Duration timeout) {
    return new SouthboundConfig(bindAddress, echoInterval, deadTimeout, maxMessageSize,
        writeLowWaterMark, writeHighWaterMark, handshakeTimeout, timeout, stuckTimeout,
        maxQueuedMessages, workerThreads, limits);
  }

  public SouthboundConfig withStuckLimits(Duration timeout, int maxQueued) {
    return new SouthboundConfig(bindAddress, echoInterval, deadTimeout, maxMessageSize,
        writeLowWaterMark, writeHighWaterMark, handshakeTimeout, requestTimeout, timeout,
        maxQueued, workerThreads, limits);
  }

  public SouthboundConfig withLimits(Limits newLimits) {
    return new SouthboundConfig(bindAddress, echoInterval, deadTimeout, maxMessageSize,
        writeLowWaterMark, writeHighWaterMark, handshakeTimeout, requestTimeout, stuckTimeout,
        maxQueuedMessages, workerThreads, newLimits);
  }

  public SouthboundConfig withWorkerThreads(int threads) {
    if (threads < 0) {
      throw new IllegalArgumentException("workerThreads must be >= 0 (0 = one per processor): " + threads);
    }
    return new SouthboundConfig(bindAddress, echoInterval, deadTimeout, maxMessageSize,
        writeLowWaterMark, writeHighWaterMark, handshakeTimeout, requestTimeout, stuckTimeout,
        maxQueuedMessages, threads, limits);
  }
}
