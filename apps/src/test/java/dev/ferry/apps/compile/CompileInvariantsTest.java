package dev.ferry.apps.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.apps.model.Port;
import dev.ferry.apps.pipeline.FlowText;
import dev.ferry.apps.testing.RandomModels;
import dev.ferry.apps.testing.SeedScenario;
import dev.ferry.southbound.flow.DesiredState;
import dev.ferry.southbound.flow.FerryCookie;
import dev.ferry.southbound.flow.FlowEntry;
import dev.ferry.southbound.flow.GroupEntry;
import dev.ferry.southbound.flow.MeterEntry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.projectfloodlight.openflow.protocol.action.OFActionGroup;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionMeter;

/** What the reconciler relies on, for any model: one flow per key, references that resolve. */
class CompileInvariantsTest {
  static LongStream seeds() {
    return LongStream.range(0, 50);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void everyHostsStateIsConsistentAndDeterministic(long seed) {
    RandomModels.Scenario s = RandomModels.generate(seed);
    for (String host : s.model().hosts().keySet()) {
      DesiredState state = HostCompiler.compile(s.model(), s.bindings(), host);
      assertEquals(state.flows().size(),
          state.flows().stream().map(FlowEntry::key).distinct().count(), "one flow per key");
      assertEquals(state.groups().size(),
          state.groups().stream().map(GroupEntry::groupId).distinct().count());
      Set<Long> groups = state.groups().stream().map(GroupEntry::groupId).collect(Collectors.toSet());
      Set<Long> meters = state.meters().stream().map(MeterEntry::meterId).collect(Collectors.toSet());
      for (FlowEntry f : state.flows()) {
        assertTrue(FerryCookie.isFerry(f.cookie()), "cookie marks Ferry's flows");
        groupsOf(f).forEach(g -> assertTrue(groups.contains(g), "group " + g + " exists"));
        metersOf(f).forEach(m -> assertTrue(meters.contains(m), "meter " + m + " exists"));
      }
      assertEquals(FlowText.of(state, FlowText.Style.OVS),
          FlowText.of(HostCompiler.compile(s.model(), s.bindings(), host), FlowText.Style.OVS));
    }
  }

  @Test
  void aHostWithoutBoundPortsHoldsOnlyTableMissDrops() {
    DesiredState state = HostCompiler.compile(SeedScenario.MODEL,
        new dev.ferry.apps.model.Bindings(Map.of("host1", Map.of("vxlan0", 1))), "host1");
    assertTrue(state.groups().isEmpty() && state.meters().isEmpty());
    assertTrue(state.flows().stream().allMatch(f -> f.priority() == 0 && f.instructions().isEmpty()));
  }

  @Test
  void twoPortsOfOneNetworkWithOneMacStillGiveOneFlowPerKey() {
    Port clash = new Port("a9", "net-a", "a9", SeedScenario.A1.mac(), "172.17.42.9", "host1",
        "veth-a9", true, 1);
    var model = dev.ferry.apps.model.Model.of(SeedScenario.MODEL.tenants().values(),
        SeedScenario.MODEL.networks().values(),
        List.of(SeedScenario.A1, SeedScenario.A2, clash), SeedScenario.MODEL.hosts().values(),
        List.of());
    Map<String, Map<String, Integer>> b = new HashMap<>(SeedScenario.BINDINGS.ofPorts());
    b.put("host1", Map.of("vxlan0", 1, "veth-a1", 2, "veth-a9", 4));
    DesiredState state = HostCompiler.compile(model, new dev.ferry.apps.model.Bindings(b), "host1");
    assertEquals(state.flows().size(),
        state.flows().stream().map(FlowEntry::key).distinct().count());
  }

  private static List<Long> groupsOf(FlowEntry f) {
    return f.instructions().stream().filter(i -> i instanceof OFInstructionApplyActions)
        .flatMap(i -> ((OFInstructionApplyActions) i).getActions().stream())
        .filter(a -> a instanceof OFActionGroup)
        .map(a -> (long) ((OFActionGroup) a).getGroup().getGroupNumber()).toList();
  }

  private static List<Long> metersOf(FlowEntry f) {
    return f.instructions().stream().filter(i -> i instanceof OFInstructionMeter)
        .map(i -> ((OFInstructionMeter) i).getMeterId()).toList();
  }
}
