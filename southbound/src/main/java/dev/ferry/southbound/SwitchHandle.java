package dev.ferry.southbound;

import java.net.SocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFGroupDescStatsEntry;
import org.projectfloodlight.openflow.protocol.OFGroupDescStatsReply;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMeterConfig;
import org.projectfloodlight.openflow.protocol.OFMeterConfigStatsReply;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortStatsEntry;
import org.projectfloodlight.openflow.protocol.OFPortStatsReply;
import org.projectfloodlight.openflow.protocol.OFRoleReply;
import org.projectfloodlight.openflow.protocol.OFStatsReply;
import org.projectfloodlight.openflow.protocol.OFStatsRequest;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * A switch that finished the handshake. Thread-safe: any thread may send. Messages are queued
 * in order and written as the TCP connection drains (bounded; see {@link SouthboundConfig}).
 */
public interface SwitchHandle {
  long datapathId();

  default String dpidString() {
    return Dpid.format(datapathId());
  }

  SocketAddress remoteAddress();

  Instant connectedSince();

  /** Port number -> description, kept current by PORT_STATUS messages. Read-only view. */
  Map<Integer, OFPortDesc> ports();

  /** The factory of the negotiated version (OpenFlow 1.3). */
  OFFactory factory();

  boolean isConnected();

  /** Queues one message (fire and forget; errors for it are logged). */
  void send(OFMessage message);

  /**
   * Sends the messages followed by a barrier. Completes when the barrier reply arrives; fails
   * with {@link OpenFlowErrorException} if the switch rejected any message of the batch, with
   * {@link SwitchDisconnectedException} if the switch went away first.
   */
  CompletableFuture<Void> sendWithBarrier(List<? extends OFMessage> messages);

  default CompletableFuture<Void> barrier() {
    return sendWithBarrier(List.of());
  }

  /**
   * Asks the switch for this connection's controller role (OpenFlow 1.3 ROLE_REQUEST). For
   * MASTER and SLAVE the switch compares {@code generationId} with the newest it has seen and
   * refuses an older one (error ROLE_REQUEST_FAILED / STALE), so a deposed master cannot take a
   * switch back. Completes with the switch's ROLE_REPLY; fails with
   * {@link OpenFlowErrorException} when refused. Allowed while fenced.
   */
  CompletableFuture<OFRoleReply> requestRole(OFControllerRole role, U64 generationId);

  /**
   * While fenced, this handle refuses every message that would change the switch's state
   * (flow, group, meter, port and table mods, packet-outs, bundles, experimenter messages):
   * {@link #send} drops it, {@link #sendWithBarrier} fails with {@link SwitchFencedException}.
   * Reads (multipart, barrier, echo) and role requests still go. Not fenced by default.
   */
  void fence(boolean fenced);

  boolean fenced();

  /** Sends a multipart request and collects every part of the reply (REPLY_MORE). */
  <R extends OFStatsReply> CompletableFuture<List<R>> multipart(OFStatsRequest<R> request);

  SouthboundCounters counters();

  /** Closes the connection (the switch will reconnect by itself). */
  void disconnect();

  /** Flows of all tables whose cookie matches {@code cookie} under {@code mask}. */
  default CompletableFuture<List<OFFlowStatsEntry>> flowStats(U64 cookie, U64 mask) {
    return multipart(factory().buildFlowStatsRequest()
            .setTableId(TableId.ALL)
            .setOutPort(OFPort.ANY)
            .setOutGroup(OFGroup.ANY)
            .setCookie(cookie)
            .setCookieMask(mask)
            .build())
        .thenApply(replies -> flatten(replies, OFFlowStatsReply::getEntries));
  }

  default CompletableFuture<List<OFPortStatsEntry>> portStats() {
    return multipart(factory().buildPortStatsRequest().setPortNo(OFPort.ANY).build())
        .thenApply(replies -> flatten(replies, OFPortStatsReply::getEntries));
  }

  default CompletableFuture<List<OFGroupDescStatsEntry>> groupDesc() {
    return multipart(factory().buildGroupDescStatsRequest().build())
        .thenApply(replies -> flatten(replies, OFGroupDescStatsReply::getEntries));
  }

  default CompletableFuture<List<OFMeterConfig>> meterConfig() {
    return multipart(factory().buildMeterConfigStatsRequest().setMeterId(0xFFFFFFFFL).build())
        .thenApply(replies -> flatten(replies, OFMeterConfigStatsReply::getEntries));
  }

  /** Sends an unbuffered packet out with the given actions. */
  default void packetOut(OFPort inPort, List<OFAction> actions, byte[] data) {
    send(factory().buildPacketOut()
        .setBufferId(OFBufferId.NO_BUFFER)
        .setInPort(inPort)
        .setActions(actions)
        .setData(data)
        .build());
  }

  /** Ports whose name is known, by name; convenient for binding interface names. */
  default Map<String, OFPortDesc> portsByName() {
    return ports().values().stream()
        .collect(Collectors.toUnmodifiableMap(OFPortDesc::getName, p -> p, (a, b) -> a));
  }

  private static <R, E> List<E> flatten(
      List<R> replies, java.util.function.Function<R, List<E>> entries) {
    return replies.stream().flatMap(r -> entries.apply(r).stream()).toList();
  }

}
