package dev.ferry.apps.compile;

import dev.ferry.apps.model.Network;
import dev.ferry.apps.pipeline.Actions;
import dev.ferry.apps.pipeline.FerryApp;
import dev.ferry.apps.pipeline.FlowBuilder;
import dev.ferry.apps.pipeline.Table;
import dev.ferry.southbound.flow.FlowEntry;
import dev.ferry.southbound.flow.MeterEntry;
import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.EthType;

/**
 * Table services: what Ferry answers itself goes to the controller through the host's
 * packet-in meter; everything else continues to L2 forwarding. ARP requests are not flooded:
 * Ferry answers them from the model, so an unknown address simply gets no answer.
 * DHCP and ICMP to the gateway (issue 6) will add flows here at {@link #TO_CONTROLLER}.
 */
final class ServiceFlows {
  static final int TO_CONTROLLER = 100;
  static final int CONTINUE = 1;
  /** One meter per host caps every packet-in it sends, whatever the tenant. */
  static final MeterEntry PACKET_IN_METER = new MeterEntry(1, true, 1000, 100);

  private ServiceFlows() {}

  static List<FlowEntry> of(HostView view) {
    List<FlowEntry> flows = new ArrayList<>();
    for (Network n : view.networks()) {
      flows.add(arpRequest(n));
      flows.add(next(n));
    }
    flows.add(FlowBuilder.tableMiss(Table.SERVICES, FerryApp.PIPELINE.cookie()));
    return flows;
  }

  private static FlowEntry arpRequest(Network n) {
    return FlowBuilder.in(Table.SERVICES).priority(TO_CONTROLLER)
        .cookie(FerryApp.ARP.cookie(n.id()))
        .network(n.vni())
        .match(MatchField.ETH_TYPE, EthType.ARP)
        .match(MatchField.ARP_OP, ArpOpcode.REQUEST)
        .meter(PACKET_IN_METER.meterId())
        .apply(Actions.toController())
        .build();
  }

  private static FlowEntry next(Network n) {
    return FlowBuilder.in(Table.SERVICES).priority(CONTINUE)
        .cookie(FerryApp.PIPELINE.cookie(n.id()))
        .network(n.vni())
        .gotoTable(Table.L2_FORWARD)
        .build();
  }
}
