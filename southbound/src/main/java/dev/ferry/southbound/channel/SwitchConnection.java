package dev.ferry.southbound.channel;

import dev.ferry.southbound.Dpid;
import dev.ferry.southbound.SouthboundConfig;
import dev.ferry.southbound.SouthboundCounters;
import dev.ferry.southbound.SwitchDisconnectedException;
import dev.ferry.southbound.SwitchHandle;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFRoleReply;
import org.projectfloodlight.openflow.protocol.OFRoleRequest;
import org.projectfloodlight.openflow.types.U64;
import dev.ferry.southbound.SwitchFencedException;
import dev.ferry.southbound.OpenFlowErrorException;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFPortStatus;
import org.projectfloodlight.openflow.protocol.OFStatsReply;
import org.projectfloodlight.openflow.protocol.OFStatsRequest;
import org.projectfloodlight.openflow.protocol.OFType;

/**
 * A ready switch: the {@link SwitchHandle} behind which sits one Netty channel. Outbound
 * messages wait in a bounded queue and are written only while the channel is writable, so a
 * slow switch slows its callers instead of growing the controller's memory.
 */
public final class SwitchConnection implements SwitchHandle {
  private static final Logger LOG = LogManager.getLogger(SwitchConnection.class);
  /** What switches send unasked, over all connections: 10 lines a second at most. */
  private static final RateLimitedLog PEER_LOG = new RateLimitedLog(LOG, 10);

  private final Channel channel;
  private final SouthboundConfig config;
  private final OFFactory factory;
  private final long dpid;
  private final String dpidText;
  private final Instant connectedSince;
  private final Map<Integer, OFPortDesc> ports = new ConcurrentHashMap<>();
  private final SouthboundCounters counters;
  private final PendingRequests pending;
  private final XidAllocator xids = new XidAllocator();
  private final Queue<OFMessage> outbound = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicBoolean gone = new AtomicBoolean();
  private int unwritableEpisode;
  private volatile boolean fenced;
  private final Map<Long, CompletableFuture<OFRoleReply>> roleRequests = new ConcurrentHashMap<>();

  SwitchConnection(Channel channel, SouthboundConfig config, OFFactory factory, long dpid,
      Instant connectedSince, List<OFPortDesc> initialPorts, SouthboundCounters counters,
      long firstXid) {
    this.channel = channel;
    this.config = config;
    this.factory = factory;
    this.dpid = dpid;
    this.dpidText = Dpid.format(dpid);
    this.connectedSince = connectedSince;
    this.counters = counters;
    this.pending = new PendingRequests(dpidText, config.limits());
    initialPorts.forEach(p -> ports.put(p.getPortNo().getPortNumber(), p));
    xids.reserve((int) Math.min(firstXid, 1 << 20));
  }

  @Override
  public long datapathId() {
    return dpid;
  }

  @Override
  public String dpidString() {
    return dpidText;
  }

  @Override
  public SocketAddress remoteAddress() {
    return channel.remoteAddress();
  }

  @Override
  public Instant connectedSince() {
    return connectedSince;
  }

  @Override
  public Map<Integer, OFPortDesc> ports() {
    return Collections.unmodifiableMap(ports);
  }

  @Override
  public OFFactory factory() {
    return factory;
  }

  /** The event loop this switch's channel runs on (what the keepalive's clock measures). */
  public EventLoop eventLoop() {
    return channel.eventLoop();
  }

  @Override
  public boolean isConnected() {
    return !gone.get() && channel.isActive();
  }

  @Override
  public SouthboundCounters counters() {
    return counters;
  }

  @Override
  public void disconnect() {
    LOG.info("dpid {}: disconnect requested", dpidText);
    channel.close();
  }

  @Override
  public void send(OFMessage message) {
    if (!isConnected()) {
      LOG.debug("dpid {}: not connected, dropping {}", dpidText, message.getType());
      return;
    }
    if (fenced && changesState(message)) {
      LOG.debug("dpid {}: fenced (not master), dropping {}", dpidText, message.getType());
      return;
    }
    OFMessage withXid = message.getXid() == 0 ? relabel(message, xids.reserve(1)) : message;
    enqueue(List.of(withXid));
  }

  @Override
  public CompletableFuture<Void> sendWithBarrier(List<? extends OFMessage> messages) {
    if (!isConnected()) {
      return CompletableFuture.failedFuture(gone("not connected"));
    }
    if (fenced && messages.stream().anyMatch(SwitchConnection::changesState)) {
      return CompletableFuture.failedFuture(new SwitchFencedException("dpid " + dpidText
          + ": fenced (this controller is not the switch's master)"));
    }
    long first = xids.reserve(messages.size() + 1);
    List<OFMessage> batchMessages = new ArrayList<>(messages.size() + 1);
    for (int i = 0; i < messages.size(); i++) {
      batchMessages.add(relabel(messages.get(i), first + i));
    }
    PendingRequests.BarrierBatch batch = new PendingRequests.BarrierBatch(first, batchMessages);
    pending.add(batch);
    batch.future.orTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    List<OFMessage> wire = new ArrayList<>(batchMessages);
    wire.add(factory.buildBarrierRequest().setXid(batch.barrierXid()).build());
    if (!enqueue(wire)) {
      batch.future.completeExceptionally(gone("stuck: outbound queue full"));
    } else if (gone.get()) { // closed while we registered: onClosed may have missed this batch
      batch.future.completeExceptionally(gone("connection closed"));
    }
    return batch.future;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <R extends OFStatsReply> CompletableFuture<List<R>> multipart(OFStatsRequest<R> request) {
    if (!isConnected()) {
      return CompletableFuture.failedFuture(gone("not connected"));
    }
    long xid = xids.reserve(1);
    PendingRequests.MultipartCollector collector = pending.addMultipart(xid);
    // the caller hears of a timeout only after the channel was told to close
    CompletableFuture<List<OFStatsReply>> closedOnTimeout = collector.future
        .orTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((parts, failure) -> {
          if (failure instanceof TimeoutException) { // unanswered, or "more" for too long
            LOG.warn("dpid {}: multipart xid {} not answered in full within {}; closing", dpidText,
                xid, config.requestTimeout());
            channel.close();
          }
        });
    if (!enqueue(List.of(relabel(request, xid)))) {
      collector.future.completeExceptionally(gone("stuck: outbound queue full"));
    } else if (gone.get()) {
      collector.future.completeExceptionally(gone("connection closed"));
    }
    return closedOnTimeout.thenApply(parts -> (List<R>) parts);
  }

  @Override
  public CompletableFuture<OFRoleReply> requestRole(OFControllerRole role, U64 generationId) {
    if (!isConnected()) {
      return CompletableFuture.failedFuture(gone("not connected"));
    }
    long xid = xids.reserve(1);
    CompletableFuture<OFRoleReply> reply = new CompletableFuture<>();
    roleRequests.put(xid, reply);
    reply.orTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((r, e) -> roleRequests.remove(xid));
    OFRoleRequest request = factory.buildRoleRequest().setXid(xid).setRole(role)
        .setGenerationId(generationId).build();
    if (!enqueue(List.of(request))) {
      reply.completeExceptionally(gone("stuck: outbound queue full"));
    } else if (gone.get()) {
      reply.completeExceptionally(gone("connection closed"));
    }
    return reply;
  }

  @Override
  public void fence(boolean fence) {
    if (fenced != fence) {
      LOG.info("dpid {}: {}", dpidText, fence ? "fenced: no state-changing message goes out" : "unfenced");
    }
    fenced = fence;
  }

  @Override
  public boolean fenced() {
    return fenced;
  }

  /** Whether a message changes the switch's state (refused while fenced). */
  static boolean changesState(OFMessage m) {
    return switch (m.getType()) {
      case FLOW_MOD, GROUP_MOD, METER_MOD, PORT_MOD, TABLE_MOD, PACKET_OUT, BUNDLE_CONTROL,
          BUNDLE_ADD_MESSAGE, EXPERIMENTER, SET_CONFIG -> true;
      default -> false;
    };
  }

  /** Messages waiting for channel writability (for tests and metrics). */
  public int queuedMessages() {
    return queued.get();
  }

  /** Requests waiting for a reply (for tests and metrics). */
  public int pendingRequests() {
    return pending.size();
  }

  // ---- inbound, called by the channel handler on the event loop ----

  void onRoleReply(OFRoleReply reply) {
    CompletableFuture<OFRoleReply> f = roleRequests.remove(reply.getXid());
    if (f == null) {
      LOG.debug("dpid {}: unsolicited role reply xid {}", dpidText, reply.getXid());
    } else {
      f.complete(reply);
    }
  }

  void onError(OFErrorMsg error) {
    CompletableFuture<OFRoleReply> role = roleRequests.remove(error.getXid());
    if (role != null) {
      role.completeExceptionally(new OpenFlowErrorException(dpidText,
          List.of(new OpenFlowErrorException.Rejection(error, java.util.Optional.empty()))));
      return;
    }
    if (!pending.onError(error)) {
      PEER_LOG.warn("dpid {}: switch reported an error for xid {}: {}", dpidText, error.getXid(),
          error);
    }
  }

  void onBarrierReply(long xid) {
    if (!pending.onBarrierReply(xid)) {
      LOG.debug("dpid {}: unsolicited barrier reply xid {}", dpidText, xid);
    }
  }

  void onStatsReply(OFStatsReply reply, int wireBytes) {
    switch (pending.onStatsReply(reply, wireBytes)) {
      case UNCLAIMED -> LOG.debug("dpid {}: unsolicited multipart reply xid {}", dpidText,
          reply.getXid());
      case OVER_BOUND -> {
        PEER_LOG.warn("dpid {}: multipart reply xid {} over {}; closing", dpidText,
            reply.getXid(), config.limits());
        channel.close();
      }
      case CLAIMED -> { }
    }
  }

  /** Applies a PORT_STATUS to the port map and returns the port's new (or last) description. */
  OFPortDesc onPortStatus(OFPortStatus status) {
    OFPortDesc desc = status.getDesc();
    int number = desc.getPortNo().getPortNumber();
    if (status.getReason() == OFPortReason.DELETE) {
      ports.remove(number);
    } else if (ports.size() < config.limits().maxPorts() || ports.containsKey(number)) {
      ports.put(number, desc);
    } else {
      PEER_LOG.warn("dpid {}: more than {} ports; closing", dpidText, config.limits().maxPorts());
      channel.close();
    }
    return desc;
  }

  void onWritabilityChanged() {
    if (channel.isWritable()) {
      scheduleDrain();
      return;
    }
    int episode = ++unwritableEpisode;
    channel.eventLoop().schedule(() -> checkStuck(episode),
        config.stuckTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Marks the connection gone; true only for the first caller (so listeners hear it once). */
  boolean markGone() {
    return gone.compareAndSet(false, true);
  }

  /** Drops queued messages and fails waiting requests; call after {@link #markGone}. */
  void onClosed() {
    outbound.clear();
    queued.set(0);
    pending.failAll(gone("connection closed"));
    roleRequests.values().forEach(f -> f.completeExceptionally(gone("connection closed")));
    roleRequests.clear();
  }

  // ---- outbound ----

  private boolean enqueue(List<OFMessage> messages) {
    if (queued.addAndGet(messages.size()) > config.maxQueuedMessages()) {
      queued.addAndGet(-messages.size());
      declareStuck("more than " + config.maxQueuedMessages() + " messages queued");
      return false;
    }
    outbound.addAll(messages);
    scheduleDrain();
    return true;
  }

  private void scheduleDrain() {
    if (drainScheduled.compareAndSet(false, true)) {
      channel.eventLoop().execute(this::drain);
    }
  }

  /** Writes queued messages until the channel's high water mark, then waits for writability. */
  private void drain() {
    drainScheduled.set(false);
    boolean wrote = false;
    while (channel.isWritable() && !gone.get()) {
      OFMessage message = outbound.poll();
      if (message == null) {
        break;
      }
      queued.decrementAndGet();
      if (fenced && changesState(message)) {
        continue; // queued before the fence went up: it must not reach the switch now
      }
      channel.write(message, channel.voidPromise());
      counters.sent(message.getType() == OFType.FLOW_MOD
          || dev.ferry.southbound.flow.OnfBundle.addsFlowMod(message),
          message.getType() == OFType.PACKET_OUT);
      wrote = true;
    }
    if (wrote) {
      channel.flush();
    }
  }

  private void checkStuck(int episode) {
    if (!channel.isWritable() && episode == unwritableEpisode && channel.isActive()) {
      declareStuck("unwritable for " + config.stuckTimeout());
    }
  }

  private void declareStuck(String why) {
    LOG.error("dpid {}: switch is stuck ({}); closing its connection", dpidText, why);
    channel.close();
  }

  private SwitchDisconnectedException gone(String why) {
    return new SwitchDisconnectedException("dpid " + dpidText + ": " + why);
  }

  private static OFMessage relabel(OFMessage message, long xid) {
    return message.getXid() == xid ? message : message.createBuilder().setXid(xid).build();
  }

  @Override
  public String toString() {
    return "switch " + dpidText + " at " + channel.remoteAddress();
  }
}
