package dev.ferry.tests.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.Masked;
import org.projectfloodlight.openflow.types.OFMetadata;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/** Flow-mod semantics of the emulator's table: non-strict selection and OF1.0 quirks. */
class FlowTableTest {
  private final OFFactory of13 = OFFactories.getFactory(OFVersion.OF_13);
  private final FlowTable table = new FlowTable();

  @Test
  void nonStrictDeleteTakesFlowsAtLeastAsSpecificAsItsMatch() {
    table.apply(add(of13.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(1))
        .setExact(MatchField.ETH_DST, MacAddress.of(1)).build(), 10), 0);
    table.apply(add(of13.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(2)).build(), 10), 0);
    table.apply(add(of13.buildMatch().build(), 0), 0);
    table.apply(of13.buildFlowDelete().setTableId(TableId.of(0))
        .setMatch(of13.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(1)).build()).build(), 0);
    assertEquals(List.of(10, 0), table.flows().stream().map(FlowEntry::priority).toList());
    assertEquals(OFPort.of(2), table.flows().get(0).match().get(MatchField.IN_PORT));
  }

  @Test
  void aMaskedFilterSelectsFlowsInsideItsRange() {
    Match tenantA = of13.buildMatch().setExact(MatchField.METADATA, OFMetadata.ofRaw(0x0105)).build();
    Match tenantB = of13.buildMatch().setExact(MatchField.METADATA, OFMetadata.ofRaw(0x0205)).build();
    table.apply(add(tenantA, 5), 0);
    table.apply(add(tenantB, 5), 0);
    Match tenantAFilter = of13.buildMatch().setMasked(MatchField.METADATA,
        Masked.of(OFMetadata.ofRaw(0x0100), OFMetadata.ofRaw(0xff00))).build();
    table.apply(of13.buildFlowDelete().setTableId(TableId.ALL).setMatch(tenantAFilter).build(), 0);
    assertEquals(List.of(tenantB), table.flows().stream().map(FlowEntry::match).toList());
  }

  @Test
  void anOf10ModifyThatHitsNothingAddsTheFlow() {
    OFFactory of10 = OFFactories.getFactory(OFVersion.OF_10);
    table.apply(of10.buildFlowModifyStrict().setPriority(7)
        .setMatch(of10.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(3)).build())
        .setActions(List.of(of10.actions().output(OFPort.of(1), 0))).build(), 0);
    assertEquals(1, table.size());
    table.apply(of10.buildFlowDelete().setMatch(of10.buildMatch().build()).build(), 0);
    assertEquals(0, table.size());
  }

  private OFFlowMod add(Match match, int priority) {
    return of13.buildFlowAdd().setPriority(priority).setMatch(match).setCookie(U64.of(1)).build();
  }
}
