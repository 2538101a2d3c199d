package dev.ferry.tests.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.southbound.OpenFlowServer;
import dev.ferry.southbound.SouthboundConfig;
import dev.ferry.southbound.SwitchHandle;
import dev.ferry.southbound.flow.DesiredState;
import dev.ferry.southbound.flow.FlowReconciler;
import dev.ferry.southbound.flow.ReconcileResult;
import dev.ferry.tests.bench.PipelineFlows;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The flow reconciler against one real OVS 3.1 bridge: it converges a fresh switch to exactly
 * the desired flows, leaves foreign flows alone, repairs flows changed behind its back, and
 * sends nothing to a switch that already holds the desired state. ovs-ofctl is the witness.
 */
@ExtendWith(LabExtension.class)
class ReconcilerOnOvsTest {
  private static final int FLOWS = 2_000;
  private static final String FERRY_COOKIES = "cookie=0xfe00000000000000/0xff00000000000000";
  private static final String FOREIGN = "cookie=0x1, priority=5,in_port=99 actions=drop";

  private final FlowReconciler reconciler = new FlowReconciler();
  private final DesiredState desired = PipelineFlows.desired(FLOWS);

  @Test
  void convergesExactlyKeepsForeignFlowsRepairsHandEditsAndIsIdleWhenConverged(Lab lab) throws Exception {
    SwitchEvents events = new SwitchEvents();
    try (OpenFlowServer server = new OpenFlowServer(SouthboundConfig.defaults()
        .withBindAddress(lab.controllerListenAddress())).addListener(events).start()) {
      LabHost host = lab.addHost("h1");
      SwitchHandle sw = events.awaitReady(host.datapathId(), 0, Duration.ofSeconds(15)).sw();

      ReconcileResult first = reconcile(sw);
      assertEquals(FLOWS, first.flowsAdded(), "a fresh switch gets every flow: " + first);
      assertEquals(ReconcileResult.InstalledAs.BUNDLE, first.installedAs(), "OVS takes OF1.3 bundles: " + first);
      assertEquals(0, first.flowsDeleted() + first.flowsModified(), first.toString());
      assertEquals(expectedFerryFlows(), ferryFlows(host), "OVS holds exactly the desired flows");
      assertEquals(FLOWS, host.dumpFlows().size(), "and nothing else");

      assertIdle(sw);

      host.addFlow(FOREIGN);
      assertIdle(sw);
      assertTrue(host.dumpFlows().stream().anyMatch(f -> f.startsWith("cookie=0x1,") && f.endsWith("priority=5,in_port=99 actions=drop")),
          "foreign flow survives: " + host.ofctl("dump-flows", "cookie=0x1/-1"));

      host.ofctl("del-flows", "--strict", PipelineFlows.ovsStrictKey(0));
      host.ofctl("del-flows", "--strict", PipelineFlows.ovsStrictKey(7));
      assertEquals(FLOWS - 2, ferryFlows(host).size(), "two flows deleted by hand");
      ReconcileResult restore = reconcile(sw);
      assertEquals(2, restore.flowsAdded(), "hand-deleted flows restored: " + restore);
      assertEquals(ReconcileResult.InstalledAs.PLAIN, restore.installedAs(), "two flow-mods need no bundle");
      assertEquals(2, restore.flowMods(), restore.toString());
      assertEquals(expectedFerryFlows(), ferryFlows(host));

      host.ofctl("mod-flows", "--strict", PipelineFlows.ovsStrictKey(3) + " actions=output:7");
      host.ofctl("mod-flows", "--strict", PipelineFlows.ovsStrictKey(9) + " actions=drop");
      host.ofctl("mod-flows", "--strict", PipelineFlows.ovsStrictKey(6) + " actions=goto_table:60");
      assertEquals(FLOWS - 3, intersection(ferryFlows(host), expectedFerryFlows()), "three flows edited by hand");
      ReconcileResult correct = reconcile(sw);
      assertEquals(3, correct.flowsModified(), "hand-edited flows corrected: " + correct);
      assertEquals(3, correct.flowMods(), correct.toString());
      assertEquals(expectedFerryFlows(), ferryFlows(host));

      assertIdle(sw);
      assertEquals(FLOWS + 1, host.dumpFlows().size(), "desired flows plus the foreign one");
      assertEquals(0, sw.counters().errorsReceived(), "OVS rejected nothing");
    }
  }

  /** Reconciling a converged switch sends no flow-mod, by its own count and by the wire's. */
  private void assertIdle(SwitchHandle sw) throws Exception {
    long flowModsBefore = sw.counters().flowModsSent();
    ReconcileResult idle = reconcile(sw);
    assertEquals(0, idle.flowMods(), "nothing to change: " + idle);
    assertEquals(FLOWS, idle.flowsUnchanged(), idle.toString());
    assertEquals(flowModsBefore, sw.counters().flowModsSent(), "no flow-mod left the controller");
  }

  private ReconcileResult reconcile(SwitchHandle sw) throws Exception {
    return reconciler.reconcile(sw, desired).get(60, TimeUnit.SECONDS);
  }

  private static Set<String> expectedFerryFlows() {
    return IntStream.range(0, FLOWS).mapToObj(PipelineFlows::ovsText).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> ferryFlows(LabHost host) {
    List<String> lines = host.ofctl("dump-flows", "--no-stats", FERRY_COOKIES).lines()
        .filter(l -> l.startsWith(" ")).map(String::strip).toList();
    Set<String> flows = new TreeSet<>(lines);
    assertEquals(lines.size(), flows.size(), "no duplicate flows");
    return flows;
  }

  private static int intersection(Set<String> a, Set<String> b) {
    return (int) a.stream().filter(b::contains).count();
  }
}
