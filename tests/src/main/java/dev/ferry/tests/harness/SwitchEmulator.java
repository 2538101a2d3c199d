package dev.ferry.tests.harness;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.projectfloodlight.openflow.protocol.OFFlowMod;

/**
 * N emulated OpenFlow switches connected over TCP to one controller, all on one Netty event
 * loop by default (so a script can pin the whole load side to one core).
 *
 * <pre>
 *   try (SwitchEmulator emu = SwitchEmulator.connect(EmulatorConfig.of("127.0.0.1", 6653, 16, OFVersion.OF_13))) {
 *     emu.awaitReady(Duration.ofSeconds(10));
 *     Duration t = emu.awaitFlows(sw -> 120, Duration.ofMinutes(1)); // scale mode
 *   }
 * </pre>
 */
public final class SwitchEmulator implements AutoCloseable {
  private final EmulatorConfig config;
  private final EventLoopGroup group;
  private final List<EmulatedSwitch> switches = new ArrayList<>();

  private SwitchEmulator(EmulatorConfig config) {
    this.config = config;
    this.group = new NioEventLoopGroup(config.eventLoopThreads());
  }

  /** Connects every switch; they handshake on their own, see {@link #awaitReady}. */
  public static SwitchEmulator connect(EmulatorConfig config) {
    return connect(config, sw -> ReplyListener.NONE);
  }

  /** As {@link #connect(EmulatorConfig)}, with a load-side listener per switch description. */
  public static SwitchEmulator connect(EmulatorConfig config,
      Function<SwitchDescription, ReplyListener> listeners) {
    return connect(config, listeners, sw -> List.of());
  }

  /**
   * Switches that already hold flows when they connect (as after a controller restart), for
   * reconciler benchmarks: {@code initialFlows} gives each switch's flow-mods, applied in order.
   */
  public static SwitchEmulator connectWithFlows(EmulatorConfig config,
      Function<SwitchDescription, List<OFFlowMod>> initialFlows) {
    return connect(config, sw -> ReplyListener.NONE, initialFlows);
  }

  private static SwitchEmulator connect(EmulatorConfig config,
      Function<SwitchDescription, ReplyListener> listeners,
      Function<SwitchDescription, List<OFFlowMod>> initialFlows) {
    SwitchEmulator emu = new SwitchEmulator(config);
    try {
      emu.connectAll(listeners, initialFlows);
    } catch (RuntimeException e) {
      emu.close();
      throw e;
    }
    return emu;
  }

  public EmulatorConfig config() { return config; }

  public List<EmulatedSwitch> switches() { return List.copyOf(switches); }

  /** Waits for every handshake; throws the first {@link HandshakeException} as is. */
  public void awaitReady(Duration timeout) {
    CompletableFuture<?>[] all = switches.stream().map(EmulatedSwitch::ready)
        .toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(all).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof HandshakeException h ? h
          : new HandshakeException("handshake failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      long done = switches.stream().filter(s -> s.ready().isDone()).count();
      throw new HandshakeException("only " + done + " of " + switches.size()
          + " switches finished the handshake within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HandshakeException("interrupted while waiting for handshakes");
    }
  }

  /**
   * Scale mode: time from now until every switch holds at least {@code expected(sw)} flows.
   * Polls the flow counts the event loop publishes; fails on timeout or a broken switch.
   */
  public Duration awaitFlows(Function<EmulatedSwitch, Integer> expected, Duration timeout)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (true) {
      long short_ = switches.stream().filter(s -> s.flowCount() < expected.apply(s)).count();
      if (short_ == 0) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
      switches.stream().filter(s -> s.failure() != null).findFirst().ifPresent(s -> {
        throw s.failure();
      });
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(short_ + " switches still lack flows after " + timeout);
      }
      Thread.sleep(1);
    }
  }

  /** The first switch that failed (handshake, unknown message, dropped connection), if any. */
  public java.util.Optional<HandshakeException> firstFailure() {
    return switches.stream().map(EmulatedSwitch::failure).filter(f -> f != null).findFirst();
  }

  @Override
  public void close() {
    switches.forEach(EmulatedSwitch::markClosing);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private void connectAll(Function<SwitchDescription, ReplyListener> listeners,
      Function<SwitchDescription, List<OFFlowMod>> initialFlows) {
    Bootstrap bootstrap = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000);
    for (int i = 0; i < config.switches(); i++) {
      SwitchDescription d = new SwitchDescription(config.firstDpid() + i, config.portsPerSwitch());
      EmulatedSwitch sw = new EmulatedSwitch(d, config.version(), config.storeFlows(),
          listeners.apply(d));
      sw.preload(initialFlows.apply(d));
      switches.add(sw);
      ChannelFuture f = bootstrap.handler(initializer(sw))
          .connect(config.host(), config.port()).awaitUninterruptibly();
      if (!f.isSuccess()) {
        throw new HandshakeException("cannot connect switch " + d.dpid() + " to "
            + config.host() + ":" + config.port() + ": " + f.cause(), f.cause());
      }
    }
  }

  private static ChannelInitializer<SocketChannel> initializer(EmulatedSwitch sw) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        // OpenFlow header: length is bytes 2-3 and counts the whole message.
        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(0xffff, 2, 2, -4, 0), sw);
      }
    };
  }
}
