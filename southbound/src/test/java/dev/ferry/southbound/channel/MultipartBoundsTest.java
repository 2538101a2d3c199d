package dev.ferry.southbound.channel;

import static dev.ferry.southbound.channel.FakeSwitch.OF13;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.southbound.MultipartTooLargeException;
import dev.ferry.southbound.SouthboundConfig;
import dev.ferry.southbound.SouthboundConfig.Limits;
import dev.ferry.southbound.SwitchDisconnectedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFeaturesRequest;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.types.TableId;

/**
 * What one switch can make Ferry hold is bounded: a multipart reply that keeps saying "more"
 * fails its request and closes the channel at the part or byte bound; so does a port list
 * beyond the port bound.
 */
class MultipartBoundsTest {
  private static final Limits SMALL = new Limits(8, 50, 4096);
  private final SouthboundContext context = SouthboundContext.of(SouthboundConfig.defaults()
      .withLimits(SMALL));

  @Test
  void anEndlessFlowStatsReplyFailsAtThePartBoundAndClosesTheChannel() {
    FakeSwitch sw = new FakeSwitch(context).connectAs(0x42);
    CompletableFuture<List<OFFlowStatsReply>> dump = sw.handle().multipart(flowStatsRequest());
    OFFlowStatsRequest request = sw.expectSent(OFFlowStatsRequest.class);

    int sent = 0;
    while (sw.isOpen() && sent < 1000) {
      sw.receive(OF13.buildFlowStatsReply().setXid(request.getXid())
          .setFlags(Set.of(OFStatsReplyFlags.REPLY_MORE)).setEntries(List.of()).build());
      sent++;
    }
    assertEquals(SMALL.maxMultipartParts() + 1, sent, "closed at the first part over the bound");
    assertFalse(sw.isOpen());
    assertInstanceOf(MultipartTooLargeException.class, failure(dump));
  }

  @Test
  void aFlowStatsReplyOverTheByteBoundClosesTheChannel() {
    FakeSwitch sw = new FakeSwitch(context).connectAs(0x43);
    CompletableFuture<List<OFFlowStatsReply>> dump = sw.handle().multipart(flowStatsRequest());
    OFFlowStatsRequest request = sw.expectSent(OFFlowStatsRequest.class);
    List<OFFlowStatsEntry> entries = new ArrayList<>();
    for (int i = 0; i < 60; i++) { // 60 entries of 56 bytes: one part of ~3.4 KB
      entries.add(OF13.buildFlowStatsEntry().setTableId(TableId.of(0)).setPriority(i)
          .setMatch(OF13.buildMatch().build()).build());
    }
    sw.receive(OF13.buildFlowStatsReply().setXid(request.getXid())
        .setFlags(Set.of(OFStatsReplyFlags.REPLY_MORE)).setEntries(entries).build());
    assertTrue(sw.isOpen(), "one part is within the bound");
    sw.receive(OF13.buildFlowStatsReply().setXid(request.getXid()).setEntries(entries).build());
    assertFalse(sw.isOpen());
    assertInstanceOf(MultipartTooLargeException.class, failure(dump));
  }

  @Test
  void aReplyWithinTheBoundsCompletes() throws Exception {
    FakeSwitch sw = new FakeSwitch(context).connectAs(0x44);
    CompletableFuture<List<OFFlowStatsReply>> dump = sw.handle().multipart(flowStatsRequest());
    OFFlowStatsRequest request = sw.expectSent(OFFlowStatsRequest.class);
    for (int i = 0; i < SMALL.maxMultipartParts() - 1; i++) {
      sw.receive(OF13.buildFlowStatsReply().setXid(request.getXid())
          .setFlags(Set.of(OFStatsReplyFlags.REPLY_MORE)).setEntries(List.of()).build());
    }
    sw.receive(OF13.buildFlowStatsReply().setXid(request.getXid()).setEntries(List.of()).build());
    assertEquals(SMALL.maxMultipartParts(), dump.get().size());
    assertTrue(sw.isOpen());
  }

  @Test
  void aMultipartReplyNotFinishedInTimeClosesTheChannel() {
    SouthboundContext quick = SouthboundContext.of(SouthboundConfig.defaults()
        .withRequestTimeout(Duration.ofMillis(50)));
    FakeSwitch sw = new FakeSwitch(quick).connectAs(0x45);
    CompletableFuture<List<OFFlowStatsReply>> dump = sw.handle().multipart(flowStatsRequest());
    OFFlowStatsRequest request = sw.expectSent(OFFlowStatsRequest.class);
    sw.receive(OF13.buildFlowStatsReply().setXid(request.getXid())
        .setFlags(Set.of(OFStatsReplyFlags.REPLY_MORE)).setEntries(List.of()).build());
    assertFalse(failure(dump) instanceof MultipartTooLargeException);
    assertFalse(sw.isOpen(), "a reply that says more for longer than the request timeout closes it");
  }

  @Test
  void aPortListOverTheBoundEndsTheHandshake() {
    FakeSwitch sw = new FakeSwitch(context);
    sw.controllerHello();
    sw.sayHello();
    sw.answerFeatures(sw.expectSent(OFFeaturesRequest.class), 0x46);
    OFPortDescStatsRequest request = sw.expectSent(OFPortDescStatsRequest.class);
    List<OFPortDesc> ports = new ArrayList<>();
    for (int i = 1; i <= SMALL.maxPorts() + 1; i++) {
      ports.add(FakeSwitch.port(i, "p" + i));
    }
    sw.answerPortDesc(request, ports, false);
    assertFalse(sw.isOpen());
    assertTrue(context.registry().get(0x46).isEmpty());
  }

  @Test
  void portStatusBeyondThePortBoundClosesAReadySwitch() {
    FakeSwitch sw = new FakeSwitch(context).connectAs(0x47); // 2 ports
    for (int i = 10; i < 10 + SMALL.maxPorts() - 2; i++) {
      sw.receive(OF13.buildPortStatus().setReason(OFPortReason.ADD).setDesc(FakeSwitch.port(i, "p")).build());
    }
    assertTrue(sw.isOpen());
    sw.receive(OF13.buildPortStatus().setReason(OFPortReason.ADD).setDesc(FakeSwitch.port(99, "p")).build());
    assertFalse(sw.isOpen());
  }

  private static org.projectfloodlight.openflow.protocol.OFFlowStatsRequest flowStatsRequest() {
    return OF13.buildFlowStatsRequest().setTableId(TableId.ALL).build();
  }

  private static Throwable failure(CompletableFuture<?> future) {
    try {
      future.get(5, java.util.concurrent.TimeUnit.SECONDS);
      throw new AssertionError("expected the request to fail");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
