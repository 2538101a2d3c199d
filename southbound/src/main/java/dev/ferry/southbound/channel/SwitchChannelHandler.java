package dev.ferry.southbound.channel;

import dev.ferry.southbound.Dpid;
import dev.ferry.southbound.SouthboundCounters;
import dev.ferry.southbound.SwitchHandle;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.projectfloodlight.openflow.protocol.OFBarrierReply;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesReply;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFHelloFailedCode;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFPortStatus;
import org.projectfloodlight.openflow.protocol.OFStatsReply;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.types.OFErrorCauseData;

/**
 * One switch connection: feeds decoded messages to the {@link HandshakeState} machine, runs the
 * echo keepalive and the handshake timeout, and publishes the switch once it is READY.
 */
public final class SwitchChannelHandler extends ChannelInboundHandlerAdapter {
  /** OFPCML_NO_BUFFER: send whole packets to the controller, never a switch buffer id. */
  static final int MISS_SEND_LEN_NO_BUFFER = 0xFFFF;
  private static final Logger LOG = LogManager.getLogger(SwitchChannelHandler.class);
  /** What peers send wrong, shared by all channels: 10 lines a second at most. */
  private static final RateLimitedLog PEER_LOG = new RateLimitedLog(LOG, 10);

  private final SouthboundContext context;
  private final OFFactory factory = OFFactories.getFactory(VersionNegotiation.OURS);
  private final SouthboundCounters counters;
  private final Map<Integer, OFPortDesc> handshakePorts = new LinkedHashMap<>();
  private Channel channel;
  private HandshakeState state = HandshakeState.WAIT_HELLO;
  private Instant connectedSince;
  private Long datapathId;
  private long nextXid = 1;
  private long portDescXid;
  private long configBarrierXid;
  private SwitchConnection connection;
  private Keepalive keepalive;
  private ScheduledFuture<?> handshakeTimer;

  public SwitchChannelHandler(SouthboundContext context) {
    this.context = context;
    this.counters = new SouthboundCounters(context.counters());
  }

  public HandshakeState state() {
    return state;
  }

  /** The ready switch, or null before READY. */
  public SwitchHandle handle() {
    return connection;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    connectedSince = Instant.now();
    LOG.info("{}: connected", who());
    keepalive = new Keepalive(ctx.executor(), context.clocks().of(ctx.executor()),
        context.config().echoInterval().toNanos(), context.config().deadTimeout().toNanos(),
        new Keepalive.Channel() {
          @Override
          public void sendEcho() {
            write(factory.buildEchoRequest().setXid(nextXid()).setData(new byte[0]).build());
          }

          @Override
          public void closeSilent(long silentMillis, long stalledMillis) {
            LOG.warn("{}: silent for {} ms of controller running time despite echo requests"
                + " (the controller was stalled {} ms more); closing", who(), silentMillis,
                stalledMillis);
            closeQuietly();
          }
        });
    keepalive.start();
    handshakeTimer = ctx.executor().schedule(this::handshakeTimedOut,
        context.config().handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    write(factory.buildHello()
        .setXid(nextXid())
        .setElements(List.of(factory.buildHelloElemVersionbitmap()
            .setBitmaps(List.of(VersionNegotiation.ourBitmap())).build()))
        .build());
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    OFMessage message = (OFMessage) msg;
    keepalive.heard();
    counters.received(message.getType() == OFType.ERROR);
    dispatch(message);
  }

  private void dispatch(OFMessage message) {
    switch (message.getType()) {
      case HELLO -> state.processHello(this, (OFHello) message);
      case ERROR -> state.processError(this, (OFErrorMsg) message);
      case ECHO_REQUEST -> state.processEchoRequest(this, (OFEchoRequest) message);
      case ECHO_REPLY -> { } // any inbound message already proved the switch alive
      case FEATURES_REPLY -> state.processFeaturesReply(this, (OFFeaturesReply) message);
      case STATS_REPLY -> state.processStatsReply(this, (OFStatsReply) message);
      case BARRIER_REPLY -> state.processBarrierReply(this, (OFBarrierReply) message);
      case PORT_STATUS -> state.processPortStatus(this, (OFPortStatus) message);
      case PACKET_IN -> state.processPacketIn(this, (OFPacketIn) message);
      case ROLE_REPLY -> state.processRoleReply(this, (org.projectfloodlight.openflow.protocol.OFRoleReply) message);
      default -> state.processOther(this, message);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (connection != null) {
      connection.onWritabilityChanged();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (handshakeTimer != null) {
      handshakeTimer.cancel(false);
    }
    if (keepalive != null) {
      keepalive.stop();
    }
    LOG.info("{}: disconnected in state {}", who(), state);
    if (connection != null) {
      boolean firstToKnow = connection.markGone();
      connection.onClosed();
      if (firstToKnow) {
        context.registry().remove(connection);
        context.listeners().switchDisconnected(connection);
      }
    }
    state = HandshakeState.CLOSING;
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!ctx.channel().isActive()) {
      // writes still queued when the channel closed fail here, once each: nothing to add
      LOG.debug("{}: after close: {}", who(), cause.toString());
      return;
    }
    Throwable root = cause instanceof DecoderException && !(cause instanceof CorruptedFrameException)
        && !(cause instanceof TooLongFrameException) && cause.getCause() != null
        ? cause.getCause() : cause;
    if (root instanceof TooLongFrameException) {
      PEER_LOG.warn("{}: oversized OpenFlow message ({}); closing", who(), root.getMessage());
    } else if (root instanceof CorruptedFrameException) {
      PEER_LOG.warn("{}: malformed OpenFlow message ({}); closing", who(), root.getMessage());
    } else {
      LOG.warn("{}: closing after {}: {}", who(), root.getClass().getSimpleName(),
          root.getMessage(), root);
    }
    closeQuietly();
  }

  // ---- used by HandshakeState ----

  OFFactory factory() {
    return factory;
  }

  /** The factory of a message's own version, so even a foreign peer can read our answer. */
  OFFactory factoryFor(OFMessage message) {
    return OFFactories.getFactory(message.getVersion());
  }

  long nextXid() {
    return nextXid++;
  }

  void setState(HandshakeState next) {
    LOG.debug("{}: {} -> {}", who(), state, next);
    state = next;
  }

  void write(OFMessage message) {
    counters.sent(message.getType() == OFType.FLOW_MOD, message.getType() == OFType.PACKET_OUT);
    channel.writeAndFlush(message, channel.voidPromise());
  }

  void rejectVersion(OFHello hello) {
    LOG.warn("{}: no common OpenFlow version (peer says {}, Ferry speaks only {}); closing",
        who(), hello.getVersion(), VersionNegotiation.OURS);
    OFFactory theirs = factoryFor(hello);
    OFMessage failed = theirs.errorMsgs().buildHelloFailedErrorMsg()
        .setXid(hello.getXid())
        .setCode(OFHelloFailedCode.INCOMPATIBLE)
        .setData(OFErrorCauseData.of(
            "Ferry supports OpenFlow 1.3 only".getBytes(StandardCharsets.US_ASCII),
            hello.getVersion()))
        .build();
    state = HandshakeState.CLOSING;
    counters.sent(false);
    channel.writeAndFlush(failed).addListener(ChannelFutureListener.CLOSE);
  }

  void closeWithError(String what, OFErrorMsg error) {
    LOG.warn("{}: switch {} in state {}: {}; closing", who(), what, state, error);
    closeQuietly();
  }

  void logUnexpected(HandshakeState in, OFMessage message) {
    LOG.debug("{}: ignoring {} (xid {}) in state {}", who(), message.getType(), message.getXid(),
        in);
  }

  void setDatapathId(long dpid) {
    datapathId = dpid;
    LOG.info("{}: features reply received", who());
  }

  void setPortDescXid(long xid) {
    portDescXid = xid;
  }

  long portDescXid() {
    return portDescXid;
  }

  void setConfigBarrierXid(long xid) {
    configBarrierXid = xid;
  }

  long configBarrierXid() {
    return configBarrierXid;
  }

  void putHandshakePort(OFPortDesc port) {
    int number = port.getPortNo().getPortNumber();
    if (handshakePorts.size() >= context.config().limits().maxPorts()
        && !handshakePorts.containsKey(number)) {
      PEER_LOG.warn("{}: more than {} ports in the handshake; closing", who(),
          context.config().limits().maxPorts());
      closeQuietly();
      return;
    }
    handshakePorts.put(number, port);
  }

  /** Wire bytes of the message being handled (multipart replies are bounded by bytes). */
  int lastFrameLength() {
    return channel.pipeline().get(OFMessageDecoder.class).lastFrameLength();
  }

  void applyHandshakePortStatus(OFPortStatus status) {
    if (status.getReason() == OFPortReason.DELETE) {
      handshakePorts.remove(status.getDesc().getPortNo().getPortNumber());
    } else {
      putHandshakePort(status.getDesc());
    }
  }

  SwitchConnection connection() {
    return connection;
  }

  /**
   * Asks the identity check whether this connection may speak for the dpid it claimed;
   * closes it (logged) when not. The TLS certificate, if any, is the one the peer proved.
   */
  boolean admitIdentity() {
    Optional<X509Certificate> certificate = peerCertificate();
    Optional<String> refusal;
    try {
      refusal = context.identity().refusal(datapathId, certificate);
    } catch (RuntimeException e) {
      refusal = Optional.of("identity check failed: " + e);
    }
    if (refusal.isPresent()) {
      PEER_LOG.warn("{}: refused{}: {}", who(), certificate.map(c -> " (certificate "
          + c.getSubjectX500Principal().getName() + ")").orElse(""), refusal.get());
      closeQuietly();
      return false;
    }
    return true;
  }

  private Optional<X509Certificate> peerCertificate() {
    SslHandler tls = channel.pipeline().get(SslHandler.class);
    if (tls == null) {
      return Optional.empty();
    }
    try {
      Certificate[] chain = tls.engine().getSession().getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x
          ? Optional.of(x) : Optional.empty();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }

  /**
   * Publishes the switch, unless a live connection already holds its dpid: then this one is
   * refused and closed, and no listener ever hears of it (so it is sent no flow). A holder that
   * is gone is replaced.
   */
  void becomeReady() {
    handshakeTimer.cancel(false);
    SwitchConnection ready = new SwitchConnection(channel, context.config(), factory, datapathId,
        connectedSince, new ArrayList<>(handshakePorts.values()), counters, nextXid);
    Optional<SwitchHandle> holder = context.registry().claim(ready, this::replace);
    if (holder.isPresent()) {
      ready.markGone();
      PEER_LOG.warn("{}: refused: dpid already connected from {}, which is alive; closing", who(),
          holder.get().remoteAddress());
      closeQuietly();
      return;
    }
    connection = ready;
    PreHandshake.markDone(channel);
    LOG.info("{}: ready with {} ports", who(), handshakePorts.size());
    context.listeners().switchReady(connection);
  }

  private void replace(SwitchHandle previous) {
    LOG.warn("{}: replaces the older connection from {}, which is gone", who(),
        previous.remoteAddress());
    if (previous instanceof SwitchConnection old && old.markGone()) {
      context.listeners().switchDisconnected(old);
    }
    previous.disconnect();
  }

  void portChanged(OFPortDesc port, OFPortReason reason) {
    LOG.info("{}: port {} ({}) {}", who(), port.getPortNo(), port.getName(), reason);
    context.listeners().portChanged(connection, port, reason);
  }

  void packetIn(OFPacketIn packetIn) {
    context.listeners().packetIn(connection, packetIn);
  }

  private void handshakeTimedOut() {
    if (state != HandshakeState.READY && channel.isActive()) {
      LOG.warn("{}: handshake not finished within {} (stuck in {}); closing", who(),
          context.config().handshakeTimeout(), state);
      closeQuietly();
    }
  }

  private void closeQuietly() {
    state = HandshakeState.CLOSING;
    channel.close();
  }

  /** How log lines name this switch: its datapath id once known, always its address. */
  String who() {
    String address = channel == null ? "?" : String.valueOf(channel.remoteAddress());
    return datapathId == null ? "switch at " + address
        : "dpid " + Dpid.format(datapathId) + " (" + address + ")";
  }
}
