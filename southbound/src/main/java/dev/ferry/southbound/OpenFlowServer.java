package dev.ferry.southbound;

import dev.ferry.southbound.channel.SouthboundContext;
import dev.ferry.southbound.channel.SwitchPipeline;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** The OpenFlow listener: accepts switches, runs their handshakes, publishes ready switches. */
public final class OpenFlowServer implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(OpenFlowServer.class);

  private final SouthboundContext context;
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private Channel serverChannel;

  public OpenFlowServer(SouthboundConfig config) {
    this.context = SouthboundContext.of(config);
  }

  public OpenFlowServer addListener(SwitchListener listener) {
    context.listeners().add(listener);
    return this;
  }

  public void removeListener(SwitchListener listener) {
    context.listeners().remove(listener);
  }

  public SwitchRegistry registry() {
    return context.registry();
  }

  /** Counters summed over every switch connection since start. */
  public SouthboundCounters counters() {
    return context.counters();
  }

  public SouthboundConfig config() {
    return context.config();
  }

  /** Binds and returns once the port accepts connections. */
  public synchronized OpenFlowServer start() throws InterruptedException {
    if (serverChannel != null) {
      throw new IllegalStateException("already started");
    }
    SouthboundConfig config = context.config();
    boss = new NioEventLoopGroup(1);
    workers = new NioEventLoopGroup(config.workerThreads());
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
            config.writeLowWaterMark(), config.writeHighWaterMark()))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            SwitchPipeline.install(channel.pipeline(), context);
          }
        });
    try {
      serverChannel = bootstrap.bind(config.bindAddress()).sync().channel();
    } catch (Throwable e) { // bind failures arrive sneakily thrown (BindException is checked)
      shutdownGroups();
      serverChannel = null;
      throw e;
    }
    LOG.info("OpenFlow listening on {}", boundAddress());
    return this;
  }

  /** The address actually bound (useful with port 0). */
  public InetSocketAddress boundAddress() {
    if (serverChannel == null) {
      throw new IllegalStateException("not started");
    }
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /** Stops listening and closes every switch connection. */
  @Override
  public synchronized void close() {
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
      LOG.info("OpenFlow listener on {} closed", serverChannel.localAddress());
    }
    shutdownGroups();
  }

  private void shutdownGroups() {
    if (workers != null) {
      workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
    if (boss != null) {
      boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
