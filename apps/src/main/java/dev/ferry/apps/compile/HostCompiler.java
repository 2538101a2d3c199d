package dev.ferry.apps.compile;

import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.Model;
import dev.ferry.southbound.flow.DesiredState;
import dev.ferry.southbound.flow.FlowEntry;
import dev.ferry.southbound.flow.FlowIndex;
import dev.ferry.southbound.flow.MeterEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * The pure flow compiler: (model snapshot, bindings, host) -> everything that host's br-int
 * must hold. No I/O, no clock; the same inputs give the same output, in the same order.
 */
public final class HostCompiler {
  private HostCompiler() {}

  public static DesiredState compile(Model model, Bindings bindings, String hostName) {
    return compile(model, bindings, dev.ferry.apps.nat.NextHops.NONE, hostName);
  }

  /** With the uplink next hops resolved so far (north-south needs the next hop's MAC). */
  public static DesiredState compile(Model model, Bindings bindings,
      dev.ferry.apps.nat.NextHops nextHops, String hostName) {
    return compile(model, bindings, nextHops, hostName, CompileMemo.NONE);
  }

  /**
   * The incremental compile: the same function, with the fragments whose inputs did not change
   * since this host's last compile taken from {@code memo} (the same instances) instead of
   * built again. Equal to the full compile for any memo history (CompileMemoPropertyTest).
   */
  public static DesiredState compile(Model model, Bindings bindings,
      dev.ferry.apps.nat.NextHops nextHops, String hostName, CompileMemo memo) {
    HostView view = HostView.of(model, bindings, hostName);
    var uplink = dev.ferry.apps.nat.Uplink.of(model, bindings, hostName);
    memo.beginCompile();
    List<FlowEntry> flows = new ArrayList<>();
    flows.addAll(ClassifyFlows.of(view, memo));
    flows.addAll(PortSecurityFlows.of(view, memo));
    flows.addAll(SecurityGroupFlows.of(model, view, memo));
    flows.addAll(ServiceFlows.of(model, view, memo));
    flows.addAll(RoutingFlows.of(model, view, memo));
    flows.addAll(NatFlows.of(model, view, uplink, nextHops.of(hostName)));
    flows.addAll(L2Flows.of(view, memo));
    DesiredState state = new DesiredState(firstPerKey(flows), FloodGroups.of(view, memo), meters(view));
    memo.endCompile();
    return state;
  }

  /**
   * A switch holds one flow per (table, priority, match). Valid models never produce two;
   * an invalid one (two ports of a network with one MAC or IP, which the store should refuse)
   * must not make the desired state ambiguous, so the first in compile order (which is
   * deterministic) wins.
   */
  private static List<FlowEntry> firstPerKey(List<FlowEntry> flows) {
    // The common case, no two flows with one key, is checked without a map of the whole host.
    if (FlowIndex.distinct(flows)) {
      return List.copyOf(flows);
    }
    java.util.Map<FlowEntry.Key, FlowEntry> byKey = new java.util.LinkedHashMap<>();
    flows.forEach(f -> byKey.putIfAbsent(f.key(), f));
    return List.copyOf(byKey.values());
  }

  private static List<MeterEntry> meters(HostView view) {
    return view.localPorts().isEmpty() && view.host().uplink() == null ? List.of() : List.of(ServiceFlows.PACKET_IN_METER);
  }

  /** The meter every packet-in flow of a host goes through. */
  public static MeterEntry packetInMeter() {
    return ServiceFlows.PACKET_IN_METER;
  }
}
