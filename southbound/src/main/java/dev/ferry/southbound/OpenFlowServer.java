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
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
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
  private Channel tlsChannel;
  private InetSocketAddress tlsBindAddress;
  private SslContext tls;

  public OpenFlowServer(SouthboundConfig config) {
    this(config, SwitchIdentityCheck.ANYONE);
  }

  /** A server that admits a switch only if {@code identity} lets it speak for its dpid. */
  public OpenFlowServer(SouthboundConfig config, SwitchIdentityCheck identity) {
    this.context = SouthboundContext.of(config, identity);
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

  /**
   * Also listens for OpenFlow over TLS on {@code address} (call before {@link #start}). The
   * context decides who may connect: Ferry builds it with client authentication required
   * against the switches' CA, so a switch whose certificate that CA did not sign is refused.
   */
  public synchronized OpenFlowServer withTls(InetSocketAddress address, SslContext context) {
    this.tlsBindAddress = address;
    this.tls = context;
    return this;
  }

  /** Binds (plain TCP unless the config's bind address is null, TLS if configured) and returns once both accept. */
  public synchronized OpenFlowServer start() throws InterruptedException {
    if (serverChannel != null || tlsChannel != null) {
      throw new IllegalStateException("already started");
    }
    SouthboundConfig config = context.config();
    if (config.bindAddress() == null && tls == null) {
      throw new IllegalStateException("no listener: neither a plain nor a TLS bind address");
    }
    boss = new NioEventLoopGroup(1);
    workers = new NioEventLoopGroup(config.eventLoopThreads());
    try {
      if (config.bindAddress() != null) {
        serverChannel = bootstrap(config, null).bind(config.bindAddress()).sync().channel();
        LOG.info("OpenFlow listening on {}", boundAddress());
      }
      if (tls != null) {
        tlsChannel = bootstrap(config, tls).bind(tlsBindAddress).sync().channel();
        LOG.info("OpenFlow over TLS listening on {}", tlsBoundAddress());
      }
    } catch (Throwable e) { // bind failures arrive sneakily thrown (BindException is checked)
      if (serverChannel != null) {
        serverChannel.close().syncUninterruptibly();
      }
      shutdownGroups();
      serverChannel = null;
      tlsChannel = null;
      throw e;
    }
    return this;
  }

  private ServerBootstrap bootstrap(SouthboundConfig config, SslContext ssl) {
    return new ServerBootstrap()
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
            if (ssl != null) {
              installTls(channel, ssl);
            }
            SwitchPipeline.install(channel.pipeline(), context);
          }
        });
  }

  // A refused switch is logged once with its address; the handshake failure then closes it.
  private static void installTls(SocketChannel channel, SslContext ssl) {
    SslHandler handler = ssl.newHandler(channel.alloc());
    handler.handshakeFuture().addListener(done -> {
      if (!done.isSuccess()) {
        LOG.warn("OpenFlow TLS: refused {}: {}", channel.remoteAddress(), rootMessage(done.cause()));
      } else {
        LOG.info("OpenFlow TLS: {} authenticated as {}", channel.remoteAddress(),
            handler.engine().getSession().getPeerPrincipal().getName());
      }
    });
    channel.pipeline().addLast("tls", handler);
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (" + root.getMessage() + ")";
  }

  /** The TLS listener's address (useful with port 0). */
  public InetSocketAddress tlsBoundAddress() {
    if (tlsChannel == null) {
      throw new IllegalStateException("no TLS listener");
    }
    return (InetSocketAddress) tlsChannel.localAddress();
  }

  /** The address actually bound (useful with port 0). */
  public InetSocketAddress boundAddress() {
    if (serverChannel == null) {
      throw new IllegalStateException("not started");
    }
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /** Event loops serving the switches (for tests); 0 before {@link #start}. */
  synchronized int eventLoops() {
    return workers instanceof io.netty.channel.MultithreadEventLoopGroup g ? g.executorCount() : 0;
  }

  /** Stops listening and closes every switch connection. */
  @Override
  public synchronized void close() {
    for (Channel c : new Channel[] {serverChannel, tlsChannel}) {
      if (c != null) {
        c.close().syncUninterruptibly();
        LOG.info("OpenFlow listener on {} closed", c.localAddress());
      }
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
