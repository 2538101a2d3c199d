package dev.ferry.tests.harness;

import dev.ferry.southbound.nicira.NiciraStandIns;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFBarrierRequest;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFGroupMod;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFHelloElem;
import org.projectfloodlight.openflow.protocol.OFHelloElemVersionbitmap;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMeterMod;
import org.projectfloodlight.openflow.protocol.OFRoleRequest;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFStatsRequest;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U32;

/**
 * One emulated OpenFlow switch on one TCP connection: the switch side of the handshake, the
 * control requests a controller sends (echo, features, config, barrier, multipart desc /
 * port-desc / flow / group-desc / meter-config, role), and a real flow, group and meter table.
 * Packet-outs and flow-mods go to the {@link ReplyListener} without a full decode.
 *
 * <p>Anything it does not understand ends the connection with a {@link HandshakeException}
 * in {@link #ready()} / {@link #failure()}: a benchmark against a misunderstood controller
 * measures nothing.
 */
public final class EmulatedSwitch extends SimpleChannelInboundHandler<ByteBuf> {
  private static final Logger LOG = LogManager.getLogger(EmulatedSwitch.class);
  /** Entry bytes per flow-stats reply: the message length field is 16 bits. */
  private static final int FLOW_STATS_REPLY_BYTES = 60_000;

  private enum State { AWAIT_HELLO, AWAIT_FEATURES, READY, FAILED }

  private final SwitchDescription description;
  private final OFFactory factory;
  private final boolean storeFlows;
  private final ReplyListener listener;
  private final FlowTable flows = new FlowTable();
  private final GroupTable groups = new GroupTable();
  private final MeterTable meters = new MeterTable();
  private final CompletableFuture<EmulatedSwitch> ready = new CompletableFuture<>();
  private volatile State state = State.AWAIT_HELLO;
  private volatile HandshakeException failure;
  private volatile int flowCount;
  /** Open OF1.3 bundles (ONF extension): bundle id -> messages added, applied on commit. */
  private final java.util.Map<Integer, List<OFMessage>> bundles = new java.util.HashMap<>();
  private volatile boolean refuseBundles;
  /** A commit is being applied in slices; frames that arrive meanwhile wait in {@link #held}. */
  private boolean committing;
  private final java.util.ArrayDeque<ByteBuf> held = new java.util.ArrayDeque<>();
  /** Flow-mods applied per event-loop task while committing: other switches' turns between. */
  private static final int COMMIT_SLICE = 256;
  private volatile int bundlesCommitted;
  /** How long barrier replies are held back (tests of waiting for switches); 0: at once. */
  private volatile java.time.Duration barrierDelay = java.time.Duration.ZERO;
  private volatile boolean closing;
  /**
   * When each flow-stats request (a controller's read-back) arrived and when its last reply
   * was sent, so a test can count how many read-backs were outstanding at once across
   * switches. Written on the event loop.
   */
  private final List<long[]> readBackWindows = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** How long flow-stats replies are held back (a slow switch's read-back); 0: at once. */
  private volatile java.time.Duration flowStatsDelay = java.time.Duration.ZERO;
  private ChannelHandlerContext ctx;
  private long nextXid = 1;

  public EmulatedSwitch(SwitchDescription description, OFVersion version, boolean storeFlows,
      ReplyListener listener) {
    this.description = description;
    this.factory = OFFactories.getFactory(version);
    this.storeFlows = storeFlows;
    this.listener = listener;
  }

  public long dpid() { return description.dpid(); }

  public SwitchDescription description() { return description; }

  public OFVersion version() { return factory.getVersion(); }

  public OFFactory factory() { return factory; }

  /** Completes when the switch answered features; fails with a {@link HandshakeException}. */
  public CompletableFuture<EmulatedSwitch> ready() { return ready; }

  public HandshakeException failure() { return failure; }

  /** Flow count as last seen by the event loop; safe to poll from any thread. */
  public int flowCount() { return flowCount; }

  /**
   * Seeds the flow table before the switch connects, e.g. stale flows a reconciler must
   * remove. Call before the emulator connects this switch.
   */
  void preload(List<OFFlowMod> initialFlows) {
    for (OFFlowMod mod : initialFlows) {
      flows.apply(mod, System.nanoTime());
    }
    flowCount = flows.size();
  }

  /** The switch loses every flow (a hand edit the next full reconcile must repair); any thread. */
  public void dropAllFlows() {
    try {
      channel().eventLoop().submit(() -> {
        flows.clear();
        flowCount = 0;
      }).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** A copy of the flows, taken on the switch's event loop; safe from any thread. */
  public List<FlowEntry> flowsSnapshot() {
    try {
      return channel().eventLoop().submit(flows::flows).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** The tables themselves: read them only on {@link #channel()}'s event loop. */
  public FlowTable flowTable() { return flows; }

  public GroupTable groupTable() { return groups; }

  public MeterTable meterTable() { return meters; }

  public Channel channel() { return ctx.channel(); }

  @Override
  public void channelActive(ChannelHandlerContext context) {
    this.ctx = context;
    send(helloFor(factory.getVersion()), true);
    context.fireChannelActive();
  }

  /** The emulator is shutting down: connections closing now are not the controller's doing. */
  void markClosing() { closing = true; }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    held.forEach(ByteBuf::release);
    held.clear();
    if (!closing) {
      fail("controller closed the connection of dpid " + dpid()
          + (state == State.READY ? "" : " during the handshake"), null);
    }
    context.fireChannelInactive();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext context) {
    if (state == State.READY) {
      listener.onReadComplete(this);
    }
    context.fireChannelReadComplete();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    fail("dpid " + dpid() + ": " + cause, cause);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext context, ByteBuf frame) {
    if (committing) {
      held.add(frame.retainedDuplicate()); // after the commit, in order (barrier semantics)
      return;
    }
    process(frame);
  }

  private void process(ByteBuf frame) {
    if (state == State.FAILED) {
      return;
    }
    if (OfWire.version(frame) != factory.getVersion().getWireVersion() && state != State.AWAIT_HELLO) {
      fail("dpid " + dpid() + ": controller sent wire version " + OfWire.version(frame)
          + " after negotiating " + factory.getVersion(), null);
      return;
    }
    int type = OfWire.type(frame);
    if (state == State.READY && type == OFP_EXPERIMENTER && frame.readableBytes() >= 16
        && frame.getInt(frame.readerIndex() + 8) == ONF_EXPERIMENTER) {
      onOnfBundle(frame);
      return;
    }
    if (state == State.READY && type == OfWire.TYPE_PACKET_OUT) {
      listener.onPacketOut(this, frame);
    } else if (state == State.READY && type == OfWire.TYPE_FLOW_MOD && !storeFlows) {
      listener.onFlowMod(this, frame);
    } else {
      ByteBuf view = frame.duplicate();
      OFMessage msg = decode(frame);
      if (msg != null) {
        if (msg instanceof OFFlowMod && state == State.READY) {
          listener.onFlowMod(this, view);
        }
        handle(msg);
      }
    }
  }

  private OFMessage decode(ByteBuf frame) {
    int type = OfWire.type(frame);
    int wire = OfWire.version(frame);
    try {
      // Nicira actions openflowj cannot read (move, ct) become stand-ins, as in Ferry's own decoder.
      return OFFactories.getGenericReader().readFrom(NiciraStandIns.rewriteFlowMod(frame));
    } catch (OFParseError | RuntimeException e) {
      fail("dpid " + dpid() + ": emulator does not understand message type " + type
          + " (wire version " + wire + "): " + e.getMessage(), e);
      return null;
    }
  }

  private void handle(OFMessage msg) {
    if (state == State.AWAIT_HELLO) {
      onHello(msg);
      return;
    }
    switch (msg.getType()) {
      case ECHO_REQUEST -> send(factory.buildEchoReply().setXid(msg.getXid())
          .setData(((OFEchoRequest) msg).getData()).build(), true);
      case ECHO_REPLY -> { }
      case FEATURES_REQUEST -> onFeaturesRequest(msg);
      case GET_CONFIG_REQUEST -> send(factory.buildGetConfigReply().setXid(msg.getXid())
          .setMissSendLen(0xffff).build(), true);
      case SET_CONFIG -> { }
      // Which async messages the controller wants: the emulator sends packet-ins and port
      // status only when a workload asks, so there is nothing to filter.
      case SET_ASYNC -> { }
      case BARRIER_REQUEST -> replyToBarrier((OFBarrierRequest) msg);
      case FLOW_MOD -> applyFlowMod((OFFlowMod) msg);
      case GROUP_MOD -> groups.apply((OFGroupMod) msg);
      case METER_MOD -> meters.apply((OFMeterMod) msg);
      case STATS_REQUEST -> onStatsRequest((OFStatsRequest<?>) msg);
      case ROLE_REQUEST -> onRoleRequest((OFRoleRequest) msg);
      case ERROR -> fail("dpid " + dpid() + ": controller reported an error: " + msg, null);
      default -> fail("dpid " + dpid() + ": emulator does not understand " + msg.getType()
          + " in state " + state + ": " + msg, null);
    }
  }

  /**
   * Holds back every barrier reply from now on by {@code delay}: the switch applies what it is
   * sent at once but confirms late, like a slow or loaded OVS.
   */
  public void delayBarrierReplies(java.time.Duration delay) {
    barrierDelay = delay;
  }

  /** Holds back every flow-stats reply from now on by {@code delay}, like a loaded OVS dumping a big table. */
  public void delayFlowStatsReplies(java.time.Duration delay) {
    flowStatsDelay = delay;
  }

  /** Answers every OF1.3 bundle message with BAD_REQUEST/BAD_EXPERIMENTER, as a switch without bundles. */
  public void refuseBundles(boolean refuse) {
    refuseBundles = refuse;
  }

  /** {start, end} System.nanoTime of each read-back window so far (see {@link #readBackWindows}). */
  public List<long[]> readBackWindows() {
    return List.copyOf(readBackWindows);
  }

  /** Bundles committed on this connection. */
  public int bundlesCommitted() {
    return bundlesCommitted;
  }

  private static final int OFP_EXPERIMENTER = 4;
  private static final int ONF_EXPERIMENTER = 0x4f4e4600;
  private static final int ONFT_BUNDLE_CONTROL = 2300;
  private static final int ONFT_BUNDLE_ADD = 2301;

  /**
   * ONF bundles as OVS does them on OF1.3: an add opens the bundle implicitly; a commit
   * applies its messages in order, all at once (nothing is visible before), and answers
   * COMMIT_REPLY (control type 5); discard drops them.
   */
  private void onOnfBundle(ByteBuf frame) {
    int at = frame.readerIndex();
    long xid = frame.getUnsignedInt(at + 4);
    if (refuseBundles || version() != OFVersion.OF_13) {
      byte[] head = new byte[Math.min(64, frame.readableBytes())];
      frame.getBytes(at, head);
      send(factory.errorMsgs().buildBadRequestErrorMsg().setXid(xid)
          .setCode(org.projectfloodlight.openflow.protocol.OFBadRequestCode.BAD_EXPERIMENTER)
          .setData(org.projectfloodlight.openflow.types.OFErrorCauseData.of(head, version()))
          .build(), true);
      return;
    }
    int expType = frame.getInt(at + 12);
    int bundleId = frame.getInt(at + 16);
    if (expType == ONFT_BUNDLE_ADD) {
      ByteBuf inner = frame.slice(at + 24, frame.readableBytes() - 24);
      OFMessage msg = decode(inner);
      if (msg != null) {
        bundles.computeIfAbsent(bundleId, k -> new ArrayList<>()).add(msg);
      }
    } else if (expType == ONFT_BUNDLE_CONTROL) {
      int control = frame.getUnsignedShort(at + 20);
      List<OFMessage> messages = bundles.remove(bundleId);
      ByteBuf reply = ctx.alloc().ioBuffer(24);
      reply.writeByte(4).writeByte(OFP_EXPERIMENTER).writeShort(24).writeInt((int) xid)
          .writeInt(ONF_EXPERIMENTER).writeInt(ONFT_BUNDLE_CONTROL).writeInt(bundleId)
          .writeShort(control + 1).writeShort(frame.getUnsignedShort(at + 22));
      if (control == 4 && messages != null) { // COMMIT_REQUEST
        // In slices, so that the one event loop all emulated switches share keeps answering
        // the others (a real OVS bridge is not blocked by its neighbour's commit); this
        // switch reads nothing else until the commit is applied and answered.
        committing = true;
        applySlice(messages, 0, reply);
        return;
      } else if (control == 0 && messages == null) { // OPEN_REQUEST
        bundles.put(bundleId, new ArrayList<>());
      }
      ctx.writeAndFlush(reply, ctx.voidPromise());
    } else {
      fail("dpid " + dpid() + ": emulator does not understand ONF experimenter type " + expType, null);
    }
  }

  private void applySlice(List<OFMessage> messages, int from, ByteBuf reply) {
    int to = Math.min(messages.size(), from + COMMIT_SLICE);
    for (int i = from; i < to && state != State.FAILED; i++) {
      handle(messages.get(i));
    }
    if (to < messages.size() && state != State.FAILED) {
      ctx.executor().execute(() -> applySlice(messages, to, reply));
      return;
    }
    bundlesCommitted++;
    ctx.writeAndFlush(reply, ctx.voidPromise());
    committing = false;
    while (!committing && !held.isEmpty()) {
      ByteBuf next = held.poll();
      try {
        process(next);
      } finally {
        next.release();
      }
    }
  }

  private void replyToBarrier(OFBarrierRequest request) {
    OFMessage reply = factory.buildBarrierReply().setXid(request.getXid()).build();
    java.time.Duration delay = barrierDelay;
    if (delay.isZero()) {
      send(reply, true);
    } else {
      ctx.executor().schedule(() -> send(reply, true), delay.toNanos(),
          java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  private void onHello(OFMessage msg) {
    if (!(msg instanceof OFHello hello)) {
      fail("dpid " + dpid() + ": expected HELLO first, controller sent " + msg.getType(), null);
      return;
    }
    if (!offers(hello, factory.getVersion())) {
      fail("dpid " + dpid() + ": controller's HELLO (" + hello.getVersion()
          + ") does not offer " + factory.getVersion() + ", the version this run asked for", null);
      return;
    }
    state = State.AWAIT_FEATURES;
  }

  /** Version negotiation as a switch sees it: a bitmap if present, else the header version. */
  static boolean offers(OFHello hello, OFVersion wanted) {
    int wire = wanted.getWireVersion();
    for (OFHelloElem elem : hello.getVersion() == OFVersion.OF_10 ? List.<OFHelloElem>of()
        : hello.getElements()) {
      if (elem instanceof OFHelloElemVersionbitmap bitmap) {
        List<U32> words = bitmap.getBitmaps();
        return wire / 32 < words.size() && (words.get(wire / 32).getValue() & (1L << (wire % 32))) != 0;
      }
    }
    return hello.getVersion().getWireVersion() >= wire;
  }

  private void onFeaturesRequest(OFMessage msg) {
    send(description.featuresReply(factory, msg.getXid()), true);
    if (state == State.AWAIT_FEATURES) {
      state = State.READY;
      listener.onReady(this);
      ready.complete(this);
    }
  }

  private void applyFlowMod(OFFlowMod mod) {
    if (storeFlows) {
      flows.apply(mod, System.nanoTime());
      flowCount = flows.size();
    }
  }

  private void onRoleRequest(OFRoleRequest request) {
    send(factory.buildRoleReply().setXid(request.getXid()).setRole(request.getRole())
        .setGenerationId(request.getGenerationId()).build(), true);
  }

  private void onStatsRequest(OFStatsRequest<?> request) {
    long xid = request.getXid();
    switch (request.getStatsType()) {
      case DESC -> send(factory.buildDescStatsReply().setXid(xid).setMfrDesc("Ferry")
          .setHwDesc("switch emulator").setSwDesc("ferry-tests harness").setSerialNum(
              Long.toString(dpid())).setDpDesc(description.portName(0)).build(), true);
      case PORT_DESC -> send(factory.buildPortDescStatsReply().setXid(xid)
          .setEntries(description.ports(factory)).build(), true);
      case FLOW -> {
        long received = System.nanoTime();
        java.time.Duration delay = flowStatsDelay;
        Runnable reply = () -> {
          sendFlowStats((OFFlowStatsRequest) request);
          readBackWindows.add(new long[] {received, System.nanoTime()});
        };
        if (delay.isZero()) {
          reply.run();
        } else {
          ctx.executor().schedule(reply, delay.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        }
      }
      case GROUP_DESC -> send(factory.buildGroupDescStatsReply().setXid(xid)
          .setEntries(groups.groups()).build(), true);
      case METER_CONFIG -> send(factory.buildMeterConfigStatsReply().setXid(xid)
          .setEntries(meters.meters()).build(), true);
      default -> fail("dpid " + dpid() + ": emulator does not understand multipart "
          + request.getStatsType(), null);
    }
  }

  /** Splits the selected flows over several replies (REPLY_MORE) to stay under 64 KiB each. */
  private void sendFlowStats(OFFlowStatsRequest request) {
    List<FlowEntry> selected = flows.select(request);
    long now = System.nanoTime();
    ByteBuf scratch = ctx.alloc().heapBuffer();
    try {
      List<OFFlowStatsEntry> batch = new ArrayList<>();
      int batchBytes = 0;
      for (FlowEntry e : selected) {
        OFFlowStatsEntry entry = statsEntry(e, now);
        scratch.clear();
        entry.writeTo(scratch);
        if (batchBytes + scratch.readableBytes() > FLOW_STATS_REPLY_BYTES && !batch.isEmpty()) {
          sendFlowStatsReply(request.getXid(), batch, true);
          batch = new ArrayList<>();
          batchBytes = 0;
        }
        batch.add(entry);
        batchBytes += scratch.readableBytes();
      }
      sendFlowStatsReply(request.getXid(), batch, false);
    } finally {
      scratch.release();
    }
  }

  private void sendFlowStatsReply(long xid, List<OFFlowStatsEntry> entries, boolean more) {
    send(factory.buildFlowStatsReply().setXid(xid)
        .setFlags(more ? EnumSet.of(OFStatsReplyFlags.REPLY_MORE)
            : EnumSet.noneOf(OFStatsReplyFlags.class))
        .setEntries(entries).build(), !more);
  }

  private OFFlowStatsEntry statsEntry(FlowEntry e, long nowNanos) {
    long age = Math.max(0, nowNanos - e.installedNanos());
    OFFlowStatsEntry.Builder b = factory.buildFlowStatsEntry()
        .setMatch(e.match())
        .setPriority(e.priority())
        .setCookie(e.cookie())
        .setIdleTimeout(e.idleTimeout())
        .setHardTimeout(e.hardTimeout())
        .setDurationSec(age / 1_000_000_000L)
        .setDurationNsec(age % 1_000_000_000L)
        .setPacketCount(org.projectfloodlight.openflow.types.U64.ZERO)
        .setByteCount(org.projectfloodlight.openflow.types.U64.ZERO);
    if (factory.getVersion() == OFVersion.OF_10) {
      b.setActions(e.actions());
    } else {
      b.setTableId(TableId.of(e.tableId())).setFlags(e.flags()).setInstructions(e.instructions());
    }
    return b.build();
  }

  private OFHello helloFor(OFVersion version) {
    if (version == OFVersion.OF_10) {
      return factory.buildHello().setXid(nextXid++).build();
    }
    long bitmap = 1L << version.getWireVersion();
    OFHelloElem elem = factory.buildHelloElemVersionbitmap()
        .setBitmaps(List.of(U32.of(bitmap))).build();
    return factory.buildHello().setXid(nextXid++).setElements(List.of(elem)).build();
  }

  /** Writes one control message (encoded with openflowj into a pooled buffer). */
  void send(OFMessage msg, boolean flush) {
    ByteBuf buf = ctx.alloc().ioBuffer();
    msg.writeTo(buf);
    if (flush) {
      ctx.writeAndFlush(buf, ctx.voidPromise());
    } else {
      ctx.write(buf, ctx.voidPromise());
    }
  }

  private void fail(String message, Throwable cause) {
    if (state == State.FAILED) {
      return;
    }
    boolean handshaking = state != State.READY;
    state = State.FAILED;
    failure = new HandshakeException(message, cause);
    LOG.error("{}{}", handshaking ? "handshake failed: " : "", message);
    ready.completeExceptionally(failure);
    if (ctx != null) {
      ctx.close();
    }
  }
}
