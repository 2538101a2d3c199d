package dev.ferry.tests.bench;

import dev.ferry.apps.compile.HostCompiler;
import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.nat.NextHops;
import dev.ferry.southbound.flow.ActualState;
import dev.ferry.southbound.flow.CanonicalKey;
import dev.ferry.southbound.flow.DesiredState;
import dev.ferry.southbound.flow.FlowDiff;
import dev.ferry.southbound.flow.FlowEntry;
import dev.ferry.southbound.flow.SharedFlows;
import dev.ferry.southbound.nicira.NiciraStandIns;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * What the flows of a rack cost in heap, and what the diffs over them cost in time, in process
 * (no switch, no store): ScaleBench's layout as {@link CompileBench} builds it (one tenant, 10
 * networks, every host has P/10 ports in each), every host of the rack compiled and its flows
 * kept through {@link SharedFlows} as the engine remembers them. Then, on host 0's flows:
 * {@code FlowDiff.between} against the same flows read back through a real flow stats reply
 * (encoded, stand-ins rewritten, decoded, {@link ActualState#flow}), as a full reconcile does;
 * {@code FlowDiff.betweenDesired} against a second compile; interning a fresh compile into
 * {@link SharedFlows} (every flow already there); and one full compile of host 0. Prints
 * medians of {@code TRIES} timed runs after as many warm-up runs.
 *
 * <p>Run with a fixed heap so the figure is comparable, e.g. {@code java -Xms2g -Xmx2g -cp
 * 'tests/target/ferry-tests.jar:tests/target/lib/*' dev.ferry.tests.bench.FlowMemoryBench
 * [PORTS_PER_HOST=100] [RACK=10] [TRIES=30]}
 */
public final class FlowMemoryBench {
  private static final OFFactory F = OFFactories.getFactory(OFVersion.OF_13);

  private FlowMemoryBench() {}

  public static void main(String[] args) throws InterruptedException {
    int portsPerHost = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int rack = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int tries = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    RackLayout layout = RackLayout.of(portsPerHost, rack);
    Model model = layout.model();
    Bindings bindings = layout.bindings();
    HostCompiler.compile(model, bindings, NextHops.NONE, "host0"); // classes loaded, index built

    long before = usedAfterGc();
    List<List<FlowEntry>> kept = new ArrayList<>();
    for (Host host : layout.hosts) {
      List<FlowEntry> flows = new ArrayList<>();
      for (FlowEntry f : HostCompiler.compile(model, bindings, NextHops.NONE, host.name()).flows()) {
        flows.add(SharedFlows.flow(f));
      }
      kept.add(flows);
    }
    long after = usedAfterGc();
    Set<FlowEntry> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
    int total = 0;
    for (List<FlowEntry> flows : kept) {
      distinct.addAll(flows);
      total += flows.size();
    }
    long bytes = after - before;
    System.out.printf("%d hosts x %d ports: %d flows kept, %d distinct; %.1f MiB live for them,"
            + " %.0f bytes per distinct flow (incl. the kept lists' references)%n", rack,
        portsPerHost, total, distinct.size(), bytes / 1048576.0, (double) bytes / distinct.size());
    distinct = null;

    List<FlowEntry> desired = kept.get(0);
    List<FlowEntry> readBack = readBack(desired);
    List<FlowEntry> recompiled = HostCompiler.compile(model, bindings, NextHops.NONE, "host0")
        .flows();
    FlowDiff full = FlowDiff.between(desired, readBack);
    FlowDiff incremental = FlowDiff.betweenDesired(recompiled, desired);
    if (!full.isEmpty() || !incremental.isEmpty()) {
      throw new IllegalStateException("the diffs of equal flows are not empty: " + full.add().size()
          + " adds, " + full.modify().size() + " modifies, " + full.delete().size() + " deletes");
    }
    double between = median(tries, () -> FlowDiff.between(desired, readBack));
    double keys = median(tries, () -> {
      for (int i = 0; i < desired.size(); i++) {
        CanonicalKey.of(desired.get(i));
        CanonicalKey.of(readBack.get(i));
      }
    });
    int sharedLists = 0;
    for (int i = 0; i < desired.size(); i++) {
      sharedLists += desired.get(i).instructions() == readBack.get(i).instructions() ? 1 : 0;
    }
    double betweenDesired = median(tries, () -> FlowDiff.betweenDesired(recompiled, desired));
    double intern = median(tries, () -> {
      for (FlowEntry f : recompiled) {
        SharedFlows.flow(f);
      }
    });
    double compile = median(tries, () -> HostCompiler.compile(model, bindings, NextHops.NONE,
        "host0"));
    double decodeReadBack = median(tries, () -> readBack(desired));
    int same = 0;
    for (int i = 0; i < desired.size(); i++) {
      same += desired.get(i) == recompiled.get(i) ? 1 : 0;
    }
    System.out.printf("host0, %d flows (%d of the recompile's the same instances as the kept),"
        + " medians of %d runs (after %d warm-up):%n", desired.size(), same, tries, tries);
    System.out.printf("  FlowDiff.between (full reconcile vs read-back) %8.2f ms%n", between);
    System.out.printf("    of which CanonicalKey.of, both sides         %8.2f ms"
        + " (%d of %d read-back flows share the desired's instruction list)%n", keys, sharedLists,
        desired.size());
    System.out.printf("  FlowDiff.betweenDesired (vs a recompile)       %8.2f ms%n", betweenDesired);
    System.out.printf("  SharedFlows.flow of the recompile (all hits)   %8.2f ms%n", intern);
    System.out.printf("  HostCompiler.compile of the host               %8.2f ms%n", compile);
    System.out.printf("  flow stats reply -> ActualState.flow           %8.2f ms%n", decodeReadBack);
    if (kept.size() != rack) {
      throw new AssertionError(); // keeps the rack's flows reachable until here
    }
  }

  /** The flows as a switch would report them: flow stats replies, encoded and decoded. */
  private static List<FlowEntry> readBack(List<FlowEntry> flows) {
    List<FlowEntry> out = new ArrayList<>(flows.size());
    for (int from = 0; from < flows.size(); from += 100) {
      List<OFFlowStatsEntry> entries = new ArrayList<>();
      for (FlowEntry f : flows.subList(from, Math.min(flows.size(), from + 100))) {
        entries.add(F.buildFlowStatsEntry().setTableId(TableId.of(f.tableId()))
            .setPriority(f.priority()).setMatch(f.match()).setInstructions(f.instructions())
            .setCookie(U64.of(f.cookie())).build());
      }
      ByteBuf buf = Unpooled.buffer();
      F.buildFlowStatsReply().setXid(1).setEntries(entries).build().writeTo(buf);
      try {
        ByteBuf frame = NiciraStandIns.rewrite(buf);
        OFFlowStatsReply reply = (OFFlowStatsReply) F.getReader().readFrom(frame);
        reply.getEntries().forEach(e -> out.add(ActualState.flow(e)));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  private static double median(int tries, Runnable run) {
    for (int i = 0; i < tries; i++) {
      run.run();
    }
    long[] nanos = new long[tries];
    for (int i = 0; i < tries; i++) {
      long start = System.nanoTime();
      run.run();
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    return nanos[tries / 2] / 1e6;
  }

  private static long usedAfterGc() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
