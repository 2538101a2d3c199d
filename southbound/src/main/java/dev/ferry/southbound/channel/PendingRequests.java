package dev.ferry.southbound.channel;

import dev.ferry.southbound.OpenFlowErrorException;
import dev.ferry.southbound.OpenFlowErrorException.Rejection;
import dev.ferry.southbound.MultipartTooLargeException;
import dev.ferry.southbound.SouthboundConfig.Limits;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFStatsReply;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;

/**
 * Requests waiting for the switch: barrier batches (a run of consecutive xids closed by the
 * barrier's xid) and multipart requests (one xid, many reply parts).
 */
final class PendingRequests {
  private final String dpid;
  private final Limits limits;
  private final NavigableMap<Long, BarrierBatch> batches = new ConcurrentSkipListMap<>();
  private final Map<Long, MultipartCollector> multiparts = new ConcurrentHashMap<>();

  PendingRequests(String dpid, Limits limits) {
    this.dpid = dpid;
    this.limits = limits;
  }

  /** Messages with xids firstXid.. and the barrier after them, waiting for the barrier reply. */
  static final class BarrierBatch {
    final long firstXid;
    final List<OFMessage> messages;
    final CompletableFuture<Void> future = new CompletableFuture<>();
    final List<Rejection> rejections = Collections.synchronizedList(new ArrayList<>());

    BarrierBatch(long firstXid, List<OFMessage> messages) {
      this.firstXid = firstXid;
      this.messages = messages;
    }

    long barrierXid() {
      return firstXid + messages.size();
    }

    boolean covers(long xid) {
      return xid >= firstXid && xid <= barrierXid();
    }
  }

  /** Parts of one multipart reply, in arrival order, and the wire bytes they took. */
  static final class MultipartCollector {
    final List<OFStatsReply> parts = new ArrayList<>();
    final CompletableFuture<List<OFStatsReply>> future = new CompletableFuture<>();
    long bytes;
  }

  /** What became of one multipart reply part. */
  enum PartOutcome { CLAIMED, UNCLAIMED, OVER_BOUND }

  void add(BarrierBatch batch) {
    batches.put(batch.firstXid, batch);
    batch.future.whenComplete((ok, failure) -> batches.remove(batch.firstXid, batch));
  }

  MultipartCollector addMultipart(long xid) {
    MultipartCollector collector = new MultipartCollector();
    multiparts.put(xid, collector);
    collector.future.whenComplete((ok, failure) -> multiparts.remove(xid, collector));
    return collector;
  }

  /** Routes an error to the request it belongs to; false when no request claims its xid. */
  boolean onError(OFErrorMsg error) {
    long xid = error.getXid();
    MultipartCollector collector = multiparts.get(xid);
    if (collector != null) {
      collector.future.completeExceptionally(rejected(new Rejection(error, Optional.empty())));
      return true;
    }
    BarrierBatch batch = batchOf(xid);
    if (batch == null) {
      return false;
    }
    int index = (int) (xid - batch.firstXid);
    Optional<OFMessage> rejected =
        index < batch.messages.size() ? Optional.of(batch.messages.get(index)) : Optional.empty();
    batch.rejections.add(new Rejection(error, rejected));
    return true;
  }

  /** Completes the batch whose barrier this is; the switch answered everything before it. */
  boolean onBarrierReply(long xid) {
    BarrierBatch batch = batchOf(xid);
    if (batch == null || batch.barrierXid() != xid) {
      return false;
    }
    if (batch.rejections.isEmpty()) {
      batch.future.complete(null);
    } else {
      batch.future.completeExceptionally(rejected(List.copyOf(batch.rejections)));
    }
    return true;
  }

  /**
   * Adds a part to the request it answers. A reply longer than the limits allow (parts or wire
   * bytes) fails its request: a switch that keeps saying "more" must not fill the heap.
   */
  PartOutcome onStatsReply(OFStatsReply reply, int wireBytes) {
    MultipartCollector collector = multiparts.get(reply.getXid());
    if (collector == null) {
      return PartOutcome.UNCLAIMED;
    }
    collector.bytes += wireBytes;
    if (collector.parts.size() >= limits.maxMultipartParts()
        || collector.bytes > limits.maxMultipartBytes()) {
      collector.parts.clear();
      collector.future.completeExceptionally(new MultipartTooLargeException("dpid " + dpid
          + ": multipart reply xid " + reply.getXid() + " over " + limits.maxMultipartParts()
          + " parts or " + limits.maxMultipartBytes() + " bytes"));
      return PartOutcome.OVER_BOUND;
    }
    collector.parts.add(reply);
    if (!reply.getFlags().contains(OFStatsReplyFlags.REPLY_MORE)) {
      collector.future.complete(List.copyOf(collector.parts));
    }
    return PartOutcome.CLAIMED;
  }

  void failAll(Throwable cause) {
    List.copyOf(batches.values()).forEach(b -> b.future.completeExceptionally(cause));
    List.copyOf(multiparts.values()).forEach(m -> m.future.completeExceptionally(cause));
  }

  int size() {
    return batches.size() + multiparts.size();
  }

  private BarrierBatch batchOf(long xid) {
    Map.Entry<Long, BarrierBatch> entry = batches.floorEntry(xid);
    return entry != null && entry.getValue().covers(xid) ? entry.getValue() : null;
  }

  private OpenFlowErrorException rejected(Rejection rejection) {
    return rejected(List.of(rejection));
  }

  private OpenFlowErrorException rejected(List<Rejection> rejections) {
    return new OpenFlowErrorException(dpid, rejections);
  }
}
