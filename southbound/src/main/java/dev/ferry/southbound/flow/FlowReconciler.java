package dev.ferry.southbound.flow;

import dev.ferry.southbound.OpenFlowErrorException;
import dev.ferry.southbound.SwitchHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.projectfloodlight.openflow.protocol.OFBadRequestCode;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMeterMod;
import org.projectfloodlight.openflow.protocol.OFMeterModCommand;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.errormsg.OFBadRequestErrorMsg;
import org.projectfloodlight.openflow.types.U64;

/**
 * Makes a switch hold exactly a {@link DesiredState}: reads Ferry's flows (cookie-masked, so
 * foreign flows are never even read), groups and meters; diffs them ({@link FlowDiff} and
 * friends); sends only the difference in safe phases ({@link ReconcilePlan}), each phase
 * finished by barriers before the next starts.
 *
 * <p>Stateless between runs: the caller owns what a switch was last brought to (the
 * {@link ReconcileResult#installed()} of its last run) and runs one reconcile per switch at a
 * time (in Ferry, the engine's per-switch worker).
 *
 * <p>A phase the switch rejects stops the reconcile before any later phase: the switch then
 * holds a superset of old and new (nothing deleted yet), and the returned future fails with
 * the {@link OpenFlowErrorException} naming the rejected messages.
 */
public final class FlowReconciler {
  private static final Logger LOG = LogManager.getLogger(FlowReconciler.class);
  public static final int DEFAULT_CHUNK_SIZE = 1000;
  public static final int DEFAULT_WINDOW = 4;
  /** More messages than this go to an OF1.3 switch as one bundle; fewer gain nothing from it. */
  public static final int DEFAULT_BUNDLE_THRESHOLD = 8;
  /** Never bundle. */
  public static final int NO_BUNDLES = Integer.MAX_VALUE;

  private final ChunkedSender sender;
  private final int bundleThreshold;
  private final AtomicInteger bundleIds = new AtomicInteger();
  private final Executor diffExecutor;
  private final LongPredicate ownsGroup;
  private final LongPredicate ownsMeter;

  /** Ferry owns every group and meter on the bridges it programs. */
  public FlowReconciler() {
    this(ForkJoinPool.commonPool());
  }

  /** @param diffExecutor runs the diff of a full reconcile once the read-back arrived */
  public FlowReconciler(Executor diffExecutor) {
    this(DEFAULT_CHUNK_SIZE, DEFAULT_WINDOW, id -> true, id -> true, diffExecutor,
        DEFAULT_BUNDLE_THRESHOLD);
  }

  /**
   * @param chunkSize messages per barrier
   * @param window chunks in flight at once
   * @param ownsGroup groups the reconciler may delete when no longer desired
   * @param ownsMeter meters the reconciler may delete when no longer desired
   */
  public FlowReconciler(int chunkSize, int window, LongPredicate ownsGroup,
      LongPredicate ownsMeter) {
    this(chunkSize, window, ownsGroup, ownsMeter, ForkJoinPool.commonPool());
  }

  /** @param diffExecutor runs the diff (tests pass a direct executor to stay on one thread) */
  public FlowReconciler(int chunkSize, int window, LongPredicate ownsGroup,
      LongPredicate ownsMeter, Executor diffExecutor) {
    this(chunkSize, window, ownsGroup, ownsMeter, diffExecutor, NO_BUNDLES);
  }

  /**
   * @param bundleThreshold a reconcile of more messages than this is sent to an OF1.3 switch
   *     as one atomic bundle ({@link OnfBundle}); {@link #NO_BUNDLES} never
   */
  public FlowReconciler(int chunkSize, int window, LongPredicate ownsGroup,
      LongPredicate ownsMeter, Executor diffExecutor, int bundleThreshold) {
    this.bundleThreshold = bundleThreshold;
    this.diffExecutor = diffExecutor;
    this.sender = new ChunkedSender(chunkSize, window);
    this.ownsGroup = ownsGroup;
    this.ownsMeter = ownsMeter;
  }

  /**
   * Full reconcile: reads what the switch holds, diffs, sends the difference. Corrects any
   * drift (flows deleted or changed by hand, a switch that lost its tables).
   */
  public CompletableFuture<ReconcileResult> reconcile(SwitchHandle sw, DesiredState desired) {
    return reconcile(sw, desired, true);
  }

  /** @param bundles false for a switch known to refuse bundles (see {@link ReconcileResult#installedAs}) */
  public CompletableFuture<ReconcileResult> reconcile(SwitchHandle sw, DesiredState desired,
      boolean bundles) {
    return reconcile(sw, desired, bundles, () -> { });
  }

  /**
   * @param diffed told (on the diff executor) once the read-back has been diffed and is no
   *     longer needed, before the difference is sent; not told when the read-back failed
   */
  public CompletableFuture<ReconcileResult> reconcile(SwitchHandle sw, DesiredState desired,
      boolean bundles, Runnable diffed) {
    return unwrapped(runFull(sw, desired, bundles, diffed));
  }

  /**
   * Incremental reconcile: diffs the new desired state against {@code installed} (what the
   * last successful run on this very connection reported) without reading the switch, on the
   * calling thread. Model changes take this path; connects and periodic audits the full one.
   */
  public CompletableFuture<ReconcileResult> update(SwitchHandle sw, DesiredState installed,
      DesiredState desired) {
    return update(sw, installed, desired, true);
  }

  /** @param bundles false for a switch known to refuse bundles */
  public CompletableFuture<ReconcileResult> update(SwitchHandle sw, DesiredState installed,
      DesiredState desired, boolean bundles) {
    long start = System.nanoTime();
    try {
      Update u = planUpdate(installed, desired, ownsGroup, ownsMeter);
      return unwrapped(apply(sw, u.installed(), start, bundles, u.flows(), u.groups(), u.meters()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * What an incremental reconcile sends, and what the switch holds once it is sent.
   *
   * @param installed {@code desired} as shared instances: the base of the next update
   */
  public record Update(FlowDiff flows, GroupDiff groups, MeterDiff meters, DesiredState installed) {}

  /**
   * The pure part of {@link #update}: the difference between what a switch was last brought to
   * and what it should hold now (the per-switch cost of a model change, with the compile).
   */
  public static Update planUpdate(DesiredState installed, DesiredState desired,
      LongPredicate ownsGroup, LongPredicate ownsMeter) {
    // Most desired flows are the very instances installed (the compile memo's): only the
    // others are looked up in the shared instances, not every flow of the switch again.
    Map<FlowEntry, FlowEntry> held = new IdentityHashMap<>();
    FlowDiff flows = FlowDiff.betweenDesired(desired.flows(), installed.flows(), held);
    List<FlowEntry> holds = desired.flows();
    if (!held.isEmpty()) {
      holds = new ArrayList<>(desired.flows().size());
      for (FlowEntry f : desired.flows()) {
        holds.add(held.getOrDefault(f, f));
      }
    }
    DesiredState rest = SharedFlows.of(new DesiredState(List.of(), desired.groups(), desired.meters()));
    return new Update(flows,
        GroupDiff.between(desired.groups(), installed.groups(), ownsGroup),
        MeterDiff.between(desired.meters(), installed.meters(), ownsMeter),
        new DesiredState(List.copyOf(holds), rest.groups(), rest.meters()));
  }

  private static CompletableFuture<ReconcileResult> unwrapped(CompletableFuture<ReconcileResult> run) {
    CompletableFuture<ReconcileResult> result = new CompletableFuture<>();
    run.whenComplete((r, failure) -> {
      if (failure != null) {
        result.completeExceptionally(ChunkedSender.unwrap(failure));
      } else {
        result.complete(r);
      }
    });
    return result;
  }

  private CompletableFuture<ReconcileResult> runFull(SwitchHandle sw, DesiredState desired,
      boolean bundles, Runnable diffed) {
    long start = System.nanoTime();
    var flows = sw.flowStats(U64.of(FerryCookie.FERRY_TAG), U64.of(FerryCookie.FERRY_MASK));
    var groups = orEmptyIfUnsupported(sw.groupDesc(), desired.groups().isEmpty());
    var meters = orEmptyIfUnsupported(sw.meterConfig(), desired.meters().isEmpty());
    // The diff of a large table takes a while: never on the switch's event loop, which other
    // switches share.
    return CompletableFuture.allOf(flows, groups, meters).thenComposeAsync(read -> {
      FlowDiff flowDiff = FlowDiff.between(desired.flows(),
          flows.join().stream().map(ActualState::flow).toList());
      GroupDiff groupDiff = GroupDiff.between(desired.groups(),
          groups.join().stream().map(ActualState::group).toList(), ownsGroup);
      MeterDiff meterDiff = MeterDiff.between(desired.meters(),
          meters.join().stream().map(ActualState::meter).toList(), ownsMeter);
      diffed.run();
      return apply(sw, SharedFlows.of(desired), start, bundles, flowDiff, groupDiff, meterDiff);
    }, diffExecutor);
  }

  /** @param installed what the switch holds once the diff is sent (shared instances) */
  private CompletableFuture<ReconcileResult> apply(SwitchHandle sw, DesiredState installed,
      long start, boolean bundles, FlowDiff flowDiff, GroupDiff groupDiff, MeterDiff meterDiff) {
    ReconcilePlan plan = ReconcilePlan.of(sw.factory(), flowDiff, groupDiff, meterDiff);
    boolean noop = flowDiff.isEmpty() && count(groupDiff) == 0 && count(meterDiff) == 0;
    // An unchanged switch is the common case (every reconnect, every restart): keep it quiet.
    LOG.log(noop ? Level.DEBUG : Level.INFO,
        "dpid {}: reconcile: {} flows to add, {} to modify, {} to delete, {} unchanged; "
            + "{} group and {} meter changes", sw.dpidString(), flowDiff.add().size(),
        flowDiff.modify().size(), flowDiff.delete().size(), flowDiff.unchanged(),
        count(groupDiff), count(meterDiff));
    java.util.function.Function<ReconcileResult.InstalledAs, ReconcileResult> result = how ->
        new ReconcileResult(flowDiff.add().size(), flowDiff.modify().size(),
            flowDiff.delete().size(), flowDiff.unchanged(), count(groupDiff), count(meterDiff),
            Duration.ofNanos(System.nanoTime() - start), installed, how);
    int messages = plan.phases().stream().mapToInt(p -> p.messages().size()).sum();
    if (!bundles || messages <= bundleThreshold || sw.factory().getVersion() != OFVersion.OF_13) {
      return sendPhases(sw, plan.phases(), 0)
          .thenApply(done -> result.apply(ReconcileResult.InstalledAs.PLAIN));
    }
    return sendBundle(sw, plan.phases()).handle((ok, failure) -> {
      if (failure == null) {
        return CompletableFuture.completedFuture(result.apply(ReconcileResult.InstalledAs.BUNDLE));
      }
      Throwable cause = ChunkedSender.unwrap(failure);
      if (!refusesBundles(cause)) {
        return CompletableFuture.<ReconcileResult>failedFuture(cause);
      }
      // Nothing of a refused bundle was applied: the same plan, message by message.
      LOG.info("dpid {}: switch refuses OpenFlow bundles ({}); installing message by message",
          sw.dpidString(), ((OpenFlowErrorException) cause).errorMsg());
      return sendPhases(sw, plan.phases(), 0)
          .thenApply(done -> result.apply(ReconcileResult.InstalledAs.PLAIN_BUNDLES_REFUSED));
    }).thenCompose(f -> f);
  }

  /**
   * Every phase's flow and group messages, in phase order, as one atomic ordered bundle, then
   * its commit; the last barrier confirms the commit. The switch goes from the old flows to the
   * new ones at once, and a failure leaves the old ones whole. OVS takes no meter-mods in a
   * bundle: new and changed meters go before it (unused until the bundle's flows refer to
   * them), deleted ones after it (no flow refers to them any more).
   */
  private CompletableFuture<Void> sendBundle(SwitchHandle sw, List<ReconcilePlan.Phase> phases) {
    int id = bundleIds.incrementAndGet();
    List<OFMessage> before = new java.util.ArrayList<>();
    List<OFMessage> bundle = new java.util.ArrayList<>();
    List<OFMessage> after = new java.util.ArrayList<>();
    for (ReconcilePlan.Phase phase : phases) {
      for (OFMessage m : phase.messages()) {
        if (m instanceof OFMeterMod meter) {
          (meter.getCommand() == OFMeterModCommand.DELETE ? after : before).add(m);
        } else {
          bundle.add(OnfBundle.add(id, m));
        }
      }
    }
    bundle.add(OnfBundle.commit(id));
    LOG.debug("dpid {}: bundle {}: {} messages ({} meter-mods outside)", sw.dpidString(), id,
        bundle.size() - 1, before.size() + after.size());
    return sender.send(sw, before)
        .thenCompose(done -> sender.send(sw, bundle))
        .thenCompose(done -> sender.send(sw, after));
  }

  /** The switch does not speak the ONF bundle extension (as opposed to a bundle that failed). */
  private static boolean refusesBundles(Throwable failure) {
    if (!(failure instanceof OpenFlowErrorException e)) {
      return false;
    }
    return e.rejections().stream().allMatch(r -> r.error() instanceof OFBadRequestErrorMsg bad
        && (bad.getCode() == OFBadRequestCode.BAD_EXPERIMENTER
            || bad.getCode() == OFBadRequestCode.BAD_EXPERIMENTER_TYPE
            || bad.getCode() == OFBadRequestCode.BAD_TYPE));
  }

  private CompletableFuture<Void> sendPhases(
      SwitchHandle sw, List<ReconcilePlan.Phase> phases, int index) {
    if (index == phases.size()) {
      return CompletableFuture.completedFuture(null);
    }
    ReconcilePlan.Phase phase = phases.get(index);
    LOG.debug("dpid {}: phase '{}': {} messages", sw.dpidString(), phase.name(),
        phase.messages().size());
    return sender.send(sw, phase.messages())
        .whenComplete((ok, failure) -> {
          if (failure != null) {
            LOG.error("dpid {}: reconcile stopped in phase '{}': {}", sw.dpidString(),
                phase.name(), failure.getMessage());
          }
        })
        .thenCompose(done -> sendPhases(sw, phases, index + 1));
  }

  /** A switch without group or meter support answers with an error; fine if none are wanted. */
  private static <T> CompletableFuture<List<T>> orEmptyIfUnsupported(
      CompletableFuture<List<T>> read, boolean noneWanted) {
    return read.handle((entries, failure) -> {
      if (failure == null) {
        return entries;
      }
      Throwable cause = ChunkedSender.unwrap(failure);
      if (noneWanted && cause instanceof OpenFlowErrorException) {
        return List.<T>of();
      }
      throw cause instanceof CompletionException c ? c : new CompletionException(cause);
    });
  }

  private static int count(GroupDiff d) {
    return d.add().size() + d.modify().size() + d.delete().size();
  }

  private static int count(MeterDiff d) {
    return d.add().size() + d.modify().size() + d.delete().size();
  }
}
