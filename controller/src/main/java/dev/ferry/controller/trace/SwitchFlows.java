package dev.ferry.controller.trace;

import dev.ferry.controller.store.Rejection;
import dev.ferry.southbound.SwitchHandle;
import dev.ferry.southbound.flow.ActualState;
import dev.ferry.southbound.flow.DesiredState;
import dev.ferry.southbound.flow.GroupEntry;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.types.U64;

/** Reads what one switch holds right now: every flow (with counters) and its groups. */
public final class SwitchFlows {
  private static final long TIMEOUT_SECONDS = 10;

  /** A switch's tables as read, in Ferry's shapes, plus the raw entries for counters. */
  public record Read(DesiredState state, List<OFFlowStatsEntry> entries) {}

  private SwitchFlows() {}

  public static List<OFFlowStatsEntry> flowStats(SwitchHandle sw) {
    return await(sw.flowStats(U64.ZERO, U64.ZERO), sw);
  }

  public static Read read(SwitchHandle sw) {
    List<OFFlowStatsEntry> flows = flowStats(sw);
    List<GroupEntry> groups;
    try {
      groups = await(sw.groupDesc(), sw).stream().map(ActualState::group).toList();
    } catch (Rejection e) {
      groups = List.of();
    }
    return new Read(new DesiredState(flows.stream().map(ActualState::flow).toList(), groups,
        List.of()), flows);
  }

  private static <T> T await(java.util.concurrent.CompletableFuture<T> f, SwitchHandle sw) {
    try {
      return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(sw, "interrupted");
    } catch (ExecutionException | TimeoutException e) {
      throw unavailable(sw, e.getCause() == null ? e.toString() : e.getCause().getMessage());
    }
  }

  private static Rejection unavailable(SwitchHandle sw, String why) {
    return new Rejection(Rejection.Reason.UNAVAILABLE, "switch_unavailable", null,
        "switch " + sw.dpidString() + " did not answer a flow read: " + why);
  }
}
