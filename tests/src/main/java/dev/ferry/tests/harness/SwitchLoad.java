package dev.ferry.tests.harness;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * The load one emulated switch puts on the controller, and what it counts of the answers.
 * Every response (packet-out or flow-mod) counts, as in cbench; a response is matched to its
 * packet-in by buffer id, else by {@link ProbeKeys} of the packet-out's frame, else (latency
 * mode, a learning controller's unbuffered flow-mod) to the one packet-in in flight.
 * Runs entirely on the switch's event loop.
 */
final class SwitchLoad implements ReplyListener {
  private final Workload workload;
  private final LoadMode mode;
  private final long timeoutNanos;
  private final SplittableRandom random;
  private final Outstanding outstanding;
  private final Map<Long, Long> silent = new HashMap<>();
  private final LongList latencies = new LongList();
  private EmulatedSwitch sw;
  private boolean running;
  private boolean unflushed;
  private int nextBufferId = 1;
  private long nextXid = 0x10000;
  private long sent, responses, packetOuts, flowMods, matched, timeouts, wrongAnswers;

  SwitchLoad(Workload workload, LoadMode mode, int window, long timeoutNanos, long seed) {
    this.workload = workload;
    this.mode = mode;
    this.timeoutNanos = timeoutNanos;
    this.random = new SplittableRandom(seed);
    this.outstanding = new Outstanding(mode == LoadMode.LATENCY ? 1 : window);
  }

  @Override
  public void onReady(EmulatedSwitch readySwitch) {
    this.sw = readySwitch;
    long period = Math.max(1, timeoutNanos / 4);
    readySwitch.channel().eventLoop().scheduleAtFixedRate(this::expire, period, period,
        TimeUnit.NANOSECONDS);
  }

  /** Starts sending; call on the event loop (see {@link LoadGenerator}). */
  void start() {
    running = true;
    refill();
    flush();
  }

  void stop() { running = false; }

  int inFlight() { return outstanding.size(); }

  LoadCounters counters() {
    return new LoadCounters(sent, responses, packetOuts, flowMods, matched, timeouts, wrongAnswers);
  }

  /** Latency samples (nanoseconds) since the last call. */
  long[] takeLatencies() {
    long[] out = latencies.toArray();
    latencies.clear();
    return out;
  }

  @Override
  public void onPacketOut(EmulatedSwitch s, ByteBuf frame) {
    responses++;
    packetOuts++;
    int bufferId = OfWire.bufferIdOfPacketOut(frame);
    if (bufferId != OfWire.NO_BUFFER) {
      answered(outstanding.removeByBufferId(bufferId));
      return;
    }
    int data = OfWire.packetOutDataOffset(frame, s.version());
    long key = ProbeKeys.of(frame, data, frame.readerIndex() + OfWire.length(frame) - data);
    long sentAt = outstanding.removeByKey(key);
    if (sentAt < 0 && silent.remove(key) != null) {
      wrongAnswers++;
    }
    answered(sentAt);
  }

  @Override
  public void onFlowMod(EmulatedSwitch s, ByteBuf frame) {
    responses++;
    flowMods++;
    int bufferId = OfWire.bufferIdOfFlowMod(frame, s.version());
    if (bufferId != OfWire.NO_BUFFER) {
      answered(outstanding.removeByBufferId(bufferId));
    } else if (mode == LoadMode.LATENCY) {
      answered(outstanding.removeSole());
    }
  }

  @Override
  public void onReadComplete(EmulatedSwitch s) {
    flush();
  }

  private void answered(long sentAt) {
    if (sentAt >= 0) {
      matched++;
      latencies.add(System.nanoTime() - sentAt);
      refill();
    }
  }

  /** Sends packet-ins until the window is full; silent probes ride along outside the window. */
  private void refill() {
    while (running && !outstanding.full()) {
      Probe p = workload.next(random);
      int bufferId = workload.usesBufferIds() ? nextBufferId() : OfWire.NO_BUFFER;
      write(p, bufferId);
      long now = System.nanoTime();
      if (p.expectsAnswer()) {
        outstanding.add(p.key(), bufferId, now);
      } else {
        silent.put(p.key(), now);
      }
    }
  }

  private void write(Probe p, int bufferId) {
    Channel ch = sw.channel();
    ByteBuf buf = ch.alloc().ioBuffer(64 + p.frame().length);
    PacketInEncoder.write(buf, sw.version(), nextXid++, bufferId, p.inPort(), p.metadata(), p.frame());
    ch.write(buf, ch.voidPromise());
    unflushed = true;
    sent++;
  }

  private void flush() {
    if (unflushed) {
      unflushed = false;
      sw.channel().flush();
    }
  }

  private int nextBufferId() {
    int id = nextBufferId;
    nextBufferId = nextBufferId == Integer.MAX_VALUE ? 1 : nextBufferId + 1;
    return id;
  }

  /** Gives up on packet-ins older than the timeout so a lost answer cannot stall the window. */
  private void expire() {
    long cutoff = System.nanoTime() - timeoutNanos;
    int dropped = outstanding.expire(cutoff);
    silent.values().removeIf(t -> t < cutoff);
    if (dropped > 0) {
      timeouts += dropped;
      refill();
      flush();
    }
  }

  OFVersion version() { return sw.version(); }
}
