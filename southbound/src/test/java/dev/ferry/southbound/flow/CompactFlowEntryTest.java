package dev.ferry.southbound.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.southbound.nicira.ConjunctionId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFMetadata;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/** A flow keeps its match as OXM bytes: equal matches give equal bytes, and they decode back. */
class CompactFlowEntryTest {
  private static final OFFactory F = OFFactories.getFactory(OFVersion.OF_13);

  private static Match forwards() {
    return F.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(3))
        .setMasked(MatchField.METADATA, OFMetadata.of(U64.of(0x1234)), OFMetadata.of(U64.of(0xFFFF)))
        .setExact(MatchField.ETH_TYPE, EthType.IPv4)
        .setExact(MatchField.ETH_DST, MacAddress.of("fa:16:3e:00:00:01"))
        .setMasked(MatchField.IPV4_DST, IPv4Address.of("10.1.0.0"), IPv4Address.of("255.255.0.0"))
        .build();
  }

  /** The same fields set in the reverse order. */
  private static Match forwardsBuiltBackwards() {
    return F.buildMatch()
        .setMasked(MatchField.IPV4_DST, IPv4Address.of("10.1.0.0"), IPv4Address.of("255.255.0.0"))
        .setExact(MatchField.ETH_DST, MacAddress.of("fa:16:3e:00:00:01"))
        .setExact(MatchField.ETH_TYPE, EthType.IPv4)
        .setMasked(MatchField.METADATA, OFMetadata.of(U64.of(0x1234)), OFMetadata.of(U64.of(0xFFFF)))
        .setExact(MatchField.IN_PORT, OFPort.of(3))
        .build();
  }

  private static List<OFInstruction> gotoTable(int table) {
    return new ArrayList<>(List.of(F.instructions().gotoTable(TableId.of(table))));
  }

  @Test
  void equalMatchesBuiltInAnyOrderGiveEqualBytesAndEqualFlows() {
    assertEquals(forwards(), forwardsBuiltBackwards());
    assertArrayEquals(OxmBytes.of(forwards()), OxmBytes.of(forwardsBuiltBackwards()));
    FlowEntry a = new FlowEntry(10, 100, forwards(), gotoTable(11), 0xF0L);
    FlowEntry b = new FlowEntry(10, 100, forwardsBuiltBackwards(), gotoTable(11), 0xF0L);
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertEquals(a.key(), b.key());
    assertEquals(a.key().hashCode(), b.key().hashCode());
  }

  @Test
  void theMatchDecodesBackToAnEqualOpenflowjMatch() {
    FlowEntry flow = new FlowEntry(10, 100, forwards(), gotoTable(11), 0xF0L);
    assertEquals(forwards(), flow.match());
    assertEquals(forwards(), flow.key().match());
    assertNotSame(flow.match(), flow.match()); // decoded per call, not cached in the entry
    assertEquals(F.buildMatch().build(), new FlowEntry(0, 0, F.buildMatch().build(), List.of(), 1)
        .match());
  }

  @Test
  void tablePriorityAndMatchEachMakeADifferentKey() {
    FlowEntry flow = new FlowEntry(10, 100, forwards(), gotoTable(11), 0xF0L);
    assertNotEquals(flow.key(), new FlowEntry(11, 100, forwards(), gotoTable(11), 0xF0L).key());
    assertNotEquals(flow.key(), new FlowEntry(10, 101, forwards(), gotoTable(11), 0xF0L).key());
    Match other = F.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(4)).build();
    assertNotEquals(flow.key(), new FlowEntry(10, 100, other, gotoTable(11), 0xF0L).key());
    assertEquals(flow.key(), new FlowEntry(10, 100, forwards(), gotoTable(12), 0xF1L).key());
    assertEquals(flow.key(), new FlowEntry.Key(10, 100, forwards()));
  }

  @Test
  void tableAndPriorityKeepTheirFullOpenflowRange() {
    FlowEntry flow = new FlowEntry(254, 65535, forwards(), List.of(), 1);
    assertEquals(254, flow.tableId());
    assertEquals(65535, flow.priority());
    assertThrows(IllegalArgumentException.class, () -> new FlowEntry(256, 0, forwards(), List.of(), 1));
    assertThrows(IllegalArgumentException.class, () -> new FlowEntry(0, -1, forwards(), List.of(), 1));
  }

  @Test
  void equalInstructionListsAreOneSharedInstance() {
    FlowEntry a = new FlowEntry(10, 100, forwards(), gotoTable(11), 1);
    FlowEntry b = new FlowEntry(12, 5, F.buildMatch().build(), gotoTable(11), 2);
    assertSame(a.instructions(), b.instructions());
    assertNotSame(a.instructions(), new FlowEntry(10, 100, forwards(), gotoTable(12), 1)
        .instructions());
    assertThrows(UnsupportedOperationException.class, () -> a.instructions().add(null));
  }

  /** The conj_id stand-in is an ordinary OXM to openflowj, so it survives the bytes. */
  @Test
  void theConjunctionIdStandInSurvivesTheBytes() {
    Match conj = F.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(3))
        .setExact(ConjunctionId.FIELD, ConjunctionId.of(77)).build();
    FlowEntry flow = new FlowEntry(40, 2000, conj, gotoTable(41), 3);
    assertEquals(ConjunctionId.of(77), flow.match().get(ConjunctionId.FIELD));
    assertEquals(conj, flow.match());
    assertEquals("bsn_vrf=0000004d,in_port=00000003", CanonicalKey.of(flow).match());
  }

  @Test
  void anotherVersionsMatchIsRefusedClearly() {
    Match of10 = OFFactories.getFactory(OFVersion.OF_10).buildMatch()
        .setExact(MatchField.IN_PORT, OFPort.of(1)).build();
    assertThrows(IllegalArgumentException.class, () -> new FlowEntry(0, 0, of10, List.of(), 1));
  }
}
