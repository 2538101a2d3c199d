package dev.ferry.apps.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.southbound.flow.FlowEntry;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFMetadata;
import org.projectfloodlight.openflow.types.OFPort;

class FlowBuilderTest {
  private static final MacAddress MAC = MacAddress.of("02:00:00:00:00:01");

  @Test
  void refusesAFlowPastClassificationWithoutTheNetworkMatch() {
    var e = assertThrows(PipelineViolation.class, () -> FlowBuilder.in(Table.L2_FORWARD)
        .priority(100).match(MatchField.ETH_DST, MAC).apply(Actions.output(2)).build());
    assertTrue(e.getMessage().contains("OF_METADATA") || e.getMessage().contains("metadata"),
        e.getMessage());
  }

  @Test
  void refusesAMetadataMatchThatDoesNotPinTheWholeNetwork() {
    assertThrows(PipelineViolation.class, () -> FlowBuilder.in(Table.L2_FORWARD).priority(1)
        .match(MatchField.METADATA, OFMetadata.ofRaw(0x100), OFMetadata.ofRaw(0xf00))
        .drop());
  }

  @Test
  void refusesAGotoToATableNotDeclaredAsNext() {
    assertThrows(PipelineViolation.class, () -> FlowBuilder.in(Table.PORT_SECURITY)
        .priority(1).network(100).gotoTable(Table.L2_FORWARD).build());
  }

  @Test
  void refusesAClassifyFlowWithoutInPort() {
    assertThrows(PipelineViolation.class, () -> FlowBuilder.in(Table.CLASSIFY).priority(1)
        .gotoTable(Table.PORT_SECURITY).build());
  }

  @Test
  void refusesAMatchWithoutItsPrerequisites() {
    assertThrows(PipelineViolation.class, () -> FlowBuilder.in(Table.SERVICES).priority(1)
        .network(100).match(MatchField.IPV4_SRC, IPv4Address.of("10.0.0.1")).drop());
  }

  @Test
  void buildsInstructionsInExecutionOrder() {
    FlowEntry f = FlowBuilder.in(Table.CLASSIFY).priority(100)
        .gotoTable(Table.PORT_SECURITY).writeMetadata(100, NetworkMetadata.WRITE_MASK)
        .match(MatchField.IN_PORT, OFPort.of(3)).build();
    assertEquals("table=classify, priority=100, cookie=0x0, in_port=3 "
        + "actions=write_metadata:0x64/0x100ffffff,goto_table:port_security",
        FlowText.flow(f, FlowText.Style.NAMED));
  }

  @Test
  void everyDeclaredNextTableComesLater() {
    for (Table t : Table.values()) {
      t.next().forEach(n -> assertTrue(n.id() > t.id(), t + " -> " + n));
    }
  }

  @Test
  void metadataIsTheVniAndItsTunnelBitIsSeparate() {
    long md = NetworkMetadata.of(200) | NetworkMetadata.FROM_TUNNEL;
    assertEquals(200, NetworkMetadata.vniOf(md));
    assertTrue(NetworkMetadata.fromTunnel(md));
    assertThrows(IllegalArgumentException.class, () -> NetworkMetadata.of(1 << 24));
  }
}
