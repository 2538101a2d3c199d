package dev.ferry.tests.harness;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The smallest OpenFlow controller that answers load: hello + features request, echo
 * replies, and one packet-out (flood) per packet-in, carrying the buffer id or, unbuffered,
 * the frame. It measures the load side's own ceiling and is the counterpart in the harness
 * tests. {@link Misbehaviour} makes it break the handshake on purpose.
 *
 * <p>Run alone: {@code java ... dev.ferry.tests.harness.EchoController PORT [1.0|1.3]}.
 */
public final class EchoController implements AutoCloseable {
  /** Ways to break a handshake, for the tests that the harness fails loudly. */
  public enum Misbehaviour { NONE, PACKET_IN_AFTER_HELLO }

  private final EventLoopGroup group = new NioEventLoopGroup(1);
  private final AtomicLong packetOuts = new AtomicLong();
  private final int wireVersion;
  private final Misbehaviour misbehaviour;
  private Channel server;

  private EchoController(int wireVersion, Misbehaviour misbehaviour) {
    this.wireVersion = wireVersion;
    this.misbehaviour = misbehaviour;
  }

  /** Listens on 127.0.0.1:{@code port} (0 = any free port), sending HELLO in {@code wireVersion}. */
  public static EchoController start(int port, int wireVersion, Misbehaviour misbehaviour) {
    EchoController c = new EchoController(wireVersion, misbehaviour);
    c.server = new ServerBootstrap().group(c.group).channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(0xffff, 2, 2, -4, 0),
                c.new Connection());
          }
        })
        .bind("127.0.0.1", port).syncUninterruptibly().channel();
    return c;
  }

  public int port() { return ((InetSocketAddress) server.localAddress()).getPort(); }

  /** Packet-outs written so far, over all connections. */
  public long packetOuts() { return packetOuts.get(); }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 6653;
    int version = args.length > 1 && args[1].equals("1.0") ? 1 : 4;
    try (EchoController c = start(port, version, Misbehaviour.NONE)) {
      System.out.println("echo controller on 127.0.0.1:" + c.port() + " pid "
          + ProcessHandle.current().pid());
      c.server.closeFuture().sync();
    }
  }

  private final class Connection extends SimpleChannelInboundHandler<ByteBuf> {
    private boolean unflushed;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.write(header(ctx, 0, 8, 1));       // HELLO
      if (misbehaviour == Misbehaviour.PACKET_IN_AFTER_HELLO) {
        ctx.write(header(ctx, 10, 8, 2));    // a switch-to-controller message: not for a switch
      }
      ctx.writeAndFlush(header(ctx, 5, 8, 3)); // FEATURES_REQUEST
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf in) {
      int type = in.getUnsignedByte(in.readerIndex() + 1);
      if (type == 10) {
        ctx.write(packetOutFor(ctx, in), ctx.voidPromise());
        packetOuts.incrementAndGet();
        unflushed = true;
      } else if (type == 2) {
        ByteBuf reply = ctx.alloc().ioBuffer().writeBytes(in, in.readerIndex(), in.readableBytes());
        reply.setByte(1, 3);
        ctx.writeAndFlush(reply, ctx.voidPromise());
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (unflushed) {
        unflushed = false;
        ctx.flush();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }

    private ByteBuf header(ChannelHandlerContext ctx, int type, int length, int xid) {
      return ctx.alloc().ioBuffer(length).writeByte(wireVersion).writeByte(type)
          .writeShort(length).writeInt(xid);
    }

    /** Flood packet-out answering one packet-in: same buffer id, frame only if unbuffered. */
    private ByteBuf packetOutFor(ChannelHandlerContext ctx, ByteBuf pin) {
      int base = pin.readerIndex();
      int bufferId = pin.getInt(base + 8);
      int dataAt = wireVersion == 1 ? 18
          : 24 + ((pin.getUnsignedShort(base + 26) + 7) / 8) * 8 + 2;
      int dataLen = bufferId == OfWire.NO_BUFFER ? OfWire.length(pin) - dataAt : 0;
      ByteBuf out;
      if (wireVersion == 1) {
        out = header(ctx, 13, 16 + 8 + dataLen, pin.getInt(base + 4));
        out.writeInt(bufferId).writeShort(0xfffd).writeShort(8);
        out.writeShort(0).writeShort(8).writeShort(0xfffb).writeShort(0); // output FLOOD
      } else {
        out = header(ctx, 13, 24 + 16 + dataLen, pin.getInt(base + 4));
        out.writeInt(bufferId).writeInt(0xfffffffd).writeShort(16).writeZero(6);
        out.writeShort(0).writeShort(16).writeInt(0xfffffffb).writeShort(0xffff).writeZero(6);
      }
      return out.writeBytes(pin, base + dataAt, dataLen);
    }
  }
}
