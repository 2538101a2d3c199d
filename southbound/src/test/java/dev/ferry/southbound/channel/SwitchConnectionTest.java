package dev.ferry.southbound.channel;

import static dev.ferry.southbound.channel.FakeSwitch.OF13;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.southbound.OpenFlowErrorException;
import dev.ferry.southbound.SouthboundConfig;
import dev.ferry.southbound.SwitchDisconnectedException;
import dev.ferry.southbound.SwitchHandle;
import dev.ferry.southbound.SwitchListener;
import io.netty.channel.WriteBufferWaterMark;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFBadMatchCode;
import org.projectfloodlight.openflow.protocol.OFBarrierRequest;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/** A ready switch as callers use it: batches with barriers, multipart reads, events. */
class SwitchConnectionTest {
  private final SouthboundContext context = SouthboundContext.of(SouthboundConfig.defaults()
      .withStuckLimits(Duration.ofSeconds(30), 1000));
  private final FakeSwitch sw = new FakeSwitch(context).connectAs(0x42);
  private final SwitchHandle handle = sw.handle();

  @Test
  void aBatchCompletesWhenItsBarrierIsAnswered() {
    CompletableFuture<Void> done = handle.sendWithBarrier(List.of(flowAdd(1), flowAdd(2)));

    OFFlowAdd first = sw.expectSent(OFFlowAdd.class);
    OFFlowAdd second = sw.expectSent(OFFlowAdd.class);
    OFBarrierRequest barrier = sw.expectSent(OFBarrierRequest.class);
    assertNotEquals(first.getXid(), second.getXid(), "each message gets its own xid");
    assertFalse(done.isDone());

    sw.receive(OF13.buildBarrierReply().setXid(barrier.getXid()).build());
    assertTrue(done.isDone() && !done.isCompletedExceptionally());
    assertEquals(2, handle.counters().flowModsSent());
  }

  @Test
  void aRejectedMessageFailsItsBatchWithTheDecodedError() throws Exception {
    CompletableFuture<Void> done = handle.sendWithBarrier(List.of(flowAdd(1), flowAdd(2)));
    sw.expectSent(OFFlowAdd.class);
    OFFlowAdd rejected = sw.expectSent(OFFlowAdd.class);
    OFBarrierRequest barrier = sw.expectSent(OFBarrierRequest.class);

    sw.receive(OF13.errorMsgs().buildBadMatchErrorMsg().setXid(rejected.getXid())
        .setCode(OFBadMatchCode.BAD_PREREQ).build());
    assertFalse(done.isDone(), "the switch may reject more before the barrier");
    sw.receive(OF13.buildBarrierReply().setXid(barrier.getXid()).build());

    ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(
        ExecutionException.class, done::get);
    OpenFlowErrorException error = assertInstanceOf(OpenFlowErrorException.class,
        failure.getCause());
    assertEquals(rejected.getXid(), error.errorMsg().getXid());
    assertEquals("BAD_PREREQ", ((org.projectfloodlight.openflow.protocol.errormsg
        .OFBadMatchErrorMsg) error.errorMsg()).getCode().name());
    assertEquals(rejected, error.rejections().get(0).rejected().orElseThrow(),
        "the error names the message it refers to");
    assertTrue(sw.isOpen(), "a rejected flow does not cost the connection");
  }

  @Test
  void multipartRepliesAreReassembledInOrder() throws Exception {
    CompletableFuture<List<OFFlowStatsEntry>> flows = handle.flowStats(U64.of(1), U64.of(1));
    OFFlowStatsRequest request = sw.expectSent(OFFlowStatsRequest.class);
    assertEquals(TableId.ALL, request.getTableId());

    sw.receive(flowStatsReply(request.getXid(), true, 1, 2));
    sw.receive(flowStatsReply(request.getXid(), true, 3));
    assertFalse(flows.isDone());
    sw.receive(flowStatsReply(request.getXid(), false, 4));

    assertEquals(List.of(1, 2, 3, 4),
        flows.get().stream().map(OFFlowStatsEntry::getPriority).toList());
  }

  @Test
  void aRejectedMultipartRequestFails() {
    CompletableFuture<List<OFFlowStatsEntry>> flows = handle.flowStats(U64.of(1), U64.of(1));
    OFFlowStatsRequest request = sw.expectSent(OFFlowStatsRequest.class);
    sw.receive(HandshakeTest.badRequest(request.getXid()));
    ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(
        ExecutionException.class, flows::get);
    assertInstanceOf(OpenFlowErrorException.class, failure.getCause());
  }

  @Test
  void waitingRequestsFailWhenTheSwitchGoesAway() {
    CompletableFuture<Void> batch = handle.sendWithBarrier(List.of(flowAdd(1)));
    CompletableFuture<?> stats = handle.groupDesc();
    sw.channel.close();
    sw.isOpen();
    assertInstanceOf(SwitchDisconnectedException.class, cause(batch));
    assertInstanceOf(SwitchDisconnectedException.class, cause(stats));
    assertInstanceOf(SwitchDisconnectedException.class, cause(handle.barrier()));
  }

  @Test
  void portStatusKeepsThePortMapCurrentAndTellsListeners() {
    List<String> seen = new ArrayList<>();
    context.listeners().add(new SwitchListener() {
      @Override
      public void portChanged(SwitchHandle s, OFPortDesc port, OFPortReason reason) {
        seen.add(port.getName() + " " + reason);
      }
    });
    sw.receive(OF13.buildPortStatus().setReason(OFPortReason.ADD)
        .setDesc(FakeSwitch.port(9, "tap9")).build());
    assertEquals("tap9", handle.ports().get(9).getName());
    sw.receive(OF13.buildPortStatus().setReason(OFPortReason.DELETE)
        .setDesc(FakeSwitch.port(9, "tap9")).build());
    assertNull(handle.ports().get(9));
    assertEquals(List.of("tap9 ADD", "tap9 DELETE"), seen);
  }

  @Test
  void aThrowingListenerHarmsNeitherTheChannelNorOtherListeners() {
    List<OFPacketIn> delivered = new ArrayList<>();
    context.listeners().add(new SwitchListener() {
      @Override
      public void packetIn(SwitchHandle s, OFPacketIn packetIn) {
        throw new IllegalStateException("listener bug");
      }
    });
    context.listeners().add(new SwitchListener() {
      @Override
      public void packetIn(SwitchHandle s, OFPacketIn packetIn) {
        assertSame(handle, s);
        delivered.add(packetIn);
      }
    });
    sw.receive(packetIn());
    sw.receive(packetIn());
    assertEquals(2, delivered.size());
    assertTrue(sw.isOpen());
  }

  @Test
  void sendGivesXidlessMessagesAnXidSoErrorsCanBeTraced() {
    handle.send(flowAdd(1));
    OFMessage sent = sw.nextSent();
    assertNotEquals(0, sent.getXid());
    assertEquals(1, handle.counters().flowModsSent());
    assertEquals(1, context.counters().flowModsSent(), "server totals add up the switches");
  }

  @Test
  void writesWaitForWritabilityAndKeepTheirOrder() {
    sw.channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
    List<OFMessage> batch = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      batch.add(flowAdd(i));
    }
    handle.sendWithBarrier(batch);
    assertEquals(51, sw.connection().queuedMessages(), "nothing written until the loop runs");

    List<OFMessage> sent = sw.allSent();
    assertEquals(51, sent.size());
    for (int i = 0; i < 50; i++) {
      assertEquals(i, ((OFFlowAdd) sent.get(i)).getPriority());
    }
    assertEquals(OFType.BARRIER_REQUEST, sent.get(50).getType());
    assertEquals(0, sw.connection().queuedMessages());
  }

  @Test
  void aSwitchThatCannotDrainItsQueueIsDeclaredStuckAndClosed() {
    List<OFMessage> tooMany = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      tooMany.add(flowAdd(i));
    }
    CompletableFuture<Void> refused = handle.sendWithBarrier(tooMany); // 1001 > 1000 queued
    assertInstanceOf(SwitchDisconnectedException.class, cause(refused));
    assertFalse(sw.isOpen());
  }

  private static Throwable cause(CompletableFuture<?> future) {
    assertTrue(future.isCompletedExceptionally(), "expected a failed future");
    try {
      future.join();
      return null;
    } catch (java.util.concurrent.CompletionException e) {
      return e.getCause();
    }
  }

  @Test
  void aFencedHandleRefusesStateChangesButStillReads() throws Exception {
    handle.fence(true);
    handle.send(flowAdd(1));
    CompletableFuture<Void> refused = handle.sendWithBarrier(List.of(flowAdd(2)));
    ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, refused::get);
    assertInstanceOf(dev.ferry.southbound.SwitchFencedException.class, failure.getCause());
    CompletableFuture<Void> barrier = handle.barrier();
    OFBarrierRequest request = sw.expectSent(OFBarrierRequest.class);
    assertTrue(sw.allSent().stream().noneMatch(m -> m.getType() == OFType.FLOW_MOD), "a flow-mod got out while fenced");
    sw.receive(OF13.buildBarrierReply().setXid(request.getXid()).build());
    assertTrue(barrier.isDone() && !barrier.isCompletedExceptionally());
    assertEquals(0, handle.counters().flowModsSent());

    handle.fence(false);
    handle.send(flowAdd(3));
    assertEquals(3, sw.expectSent(OFFlowAdd.class).getPriority());
  }

  @Test
  void aRoleRequestCompletesWithTheSwitchsReplyOrFailsWithItsError() throws Exception {
    CompletableFuture<org.projectfloodlight.openflow.protocol.OFRoleReply> master =
        handle.requestRole(org.projectfloodlight.openflow.protocol.OFControllerRole.ROLE_MASTER, U64.of(7));
    var request = sw.expectSent(org.projectfloodlight.openflow.protocol.OFRoleRequest.class);
    assertEquals(U64.of(7), request.getGenerationId());
    sw.receive(OF13.buildRoleReply().setXid(request.getXid())
        .setRole(org.projectfloodlight.openflow.protocol.OFControllerRole.ROLE_MASTER).setGenerationId(U64.of(7)).build());
    assertEquals(org.projectfloodlight.openflow.protocol.OFControllerRole.ROLE_MASTER, master.get().getRole());

    var stale = handle.requestRole(org.projectfloodlight.openflow.protocol.OFControllerRole.ROLE_MASTER, U64.of(3));
    var second = sw.expectSent(org.projectfloodlight.openflow.protocol.OFRoleRequest.class);
    sw.receive(OF13.errorMsgs().buildRoleRequestFailedErrorMsg().setXid(second.getXid())
        .setCode(org.projectfloodlight.openflow.protocol.OFRoleRequestFailedCode.STALE).build());
    ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, stale::get);
    assertInstanceOf(OpenFlowErrorException.class, failure.getCause());
  }

  static OFFlowAdd flowAdd(int priority) {
    return OF13.buildFlowAdd().setPriority(priority).setTableId(TableId.of(0))
        .setMatch(OF13.buildMatch().build()).setInstructions(List.of()).build();
  }

  private static OFMessage flowStatsReply(long xid, boolean more, int... priorities) {
    List<OFFlowStatsEntry> entries = new ArrayList<>();
    for (int p : priorities) {
      entries.add(OF13.buildFlowStatsEntry().setPriority(p).setTableId(TableId.of(0))
          .setMatch(OF13.buildMatch().build()).setInstructions(List.of()).build());
    }
    return OF13.buildFlowStatsReply().setXid(xid)
        .setFlags(more ? Set.of(OFStatsReplyFlags.REPLY_MORE) : Set.of())
        .setEntries(entries).build();
  }

  private static OFPacketIn packetIn() {
    return OF13.buildPacketIn().setBufferId(OFBufferId.NO_BUFFER).setTotalLen(3)
        .setReason(OFPacketInReason.ACTION).setTableId(TableId.of(20))
        .setMatch(OF13.buildMatch().build()).setData(new byte[] {1, 2, 3}).build();
  }
}
