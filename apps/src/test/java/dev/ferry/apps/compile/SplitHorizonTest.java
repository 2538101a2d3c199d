package dev.ferry.apps.compile;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.apps.compile.HostView;
import dev.ferry.apps.pipeline.NetworkMetadata;
import dev.ferry.apps.pipeline.Table;
import dev.ferry.apps.testing.RandomModels;
import dev.ferry.southbound.flow.DesiredState;
import dev.ferry.southbound.flow.FlowEntry;
import dev.ferry.southbound.flow.GroupEntry;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.projectfloodlight.openflow.protocol.OFBucket;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionGroup;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.match.MatchField;

/**
 * Packets from the tunnel never get a flow or group that outputs to the tunnel. OpenFlow's
 * "no output to in_port" rule (OVS too, checked with ofproto/trace) would already stop them,
 * so behaviour tests cannot see this; Ferry does not rely on that rule alone, and this
 * test checks the flows themselves.
 */
class SplitHorizonTest {
  static LongStream seeds() {
    return LongStream.range(0, 50);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void flowsForTunnelIngressNeverOutputToTheTunnel(long seed) {
    RandomModels.Scenario s = RandomModels.generate(seed);
    for (String host : s.model().hosts().keySet()) {
      DesiredState state = HostCompiler.compile(s.model(), s.bindings(), host);
      int vxlan = s.bindings().ofPort(host, HostView.VXLAN_INTERFACE).getAsInt();
      for (FlowEntry f : state.flows()) {
        if (matchesTunnelIngress(f)) {
          assertFalse(outputsTo(actions(f), state, vxlan), "hairpin into tunnel: " + f);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void packetsFromLocalPortsNeverCarryTheTunnelBit(long seed) {
    RandomModels.Scenario s = RandomModels.generate(seed);
    for (String host : s.model().hosts().keySet()) {
      for (FlowEntry f : HostCompiler.compile(s.model(), s.bindings(), host).flows()) {
        f.instructions().stream()
            .filter(i -> i instanceof org.projectfloodlight.openflow.protocol.instruction
                .OFInstructionWriteMetadata)
            .map(i -> (org.projectfloodlight.openflow.protocol.instruction
                .OFInstructionWriteMetadata) i)
            .forEach(w -> assertTrue(NetworkMetadata.fromTunnel(w.getMetadata().getValue())
                == f.match().isExact(MatchField.TUNNEL_ID)));
      }
    }
  }

  private static boolean matchesTunnelIngress(FlowEntry f) {
    if (f.tableId() != Table.L2_FORWARD.id() || f.match().isFullyWildcarded(MatchField.METADATA)) {
      return false;
    }
    var md = f.match().getMasked(MatchField.METADATA);
    long mask = md.getMask().getValue().getValue();
    long value = md.getValue().getValue().getValue();
    return (mask & NetworkMetadata.FROM_TUNNEL) == 0 || NetworkMetadata.fromTunnel(value);
  }

  private static List<OFAction> actions(FlowEntry f) {
    return f.instructions().stream().filter(i -> i instanceof OFInstructionApplyActions)
        .flatMap(i -> ((OFInstructionApplyActions) i).getActions().stream()).toList();
  }

  private static boolean outputsTo(List<OFAction> actions, DesiredState state, int port) {
    for (OFAction a : actions) {
      if (a instanceof OFActionOutput o && o.getPort().getPortNumber() == port) {
        return true;
      }
      if (a instanceof OFActionGroup g && groupOutputsTo(g, state, port)) {
        return true;
      }
    }
    return false;
  }

  private static boolean groupOutputsTo(OFActionGroup g, DesiredState state, int port) {
    GroupEntry group = state.groups().stream()
        .filter(e -> e.groupId() == g.getGroup().getGroupNumber()).findFirst().orElseThrow();
    return group.buckets().stream().map(OFBucket::getActions)
        .anyMatch(actions -> outputsTo(actions, state, port));
  }
}
