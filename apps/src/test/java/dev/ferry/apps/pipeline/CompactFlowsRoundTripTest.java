package dev.ferry.apps.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.apps.compile.HostCompiler;
import dev.ferry.apps.testing.SeedScenario;
import dev.ferry.southbound.flow.FlowDiff;
import dev.ferry.southbound.flow.FlowEntry;
import dev.ferry.southbound.nicira.ConjunctionId;
import dev.ferry.southbound.nicira.NiciraStandIns;
import dev.ferry.southbound.nicira.NiciraWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * The compiler's flows, conjunctions and Nicira actions included, survive the compact form a
 * {@link FlowEntry} keeps its match in: rebuilt from their own accessors they are equal, and
 * sent as flow-mods (conj_id swapped on the wire) and read back (stand-ins) they compare
 * unchanged in the full reconcile diff.
 */
class CompactFlowsRoundTripTest {
  private static final OFFactory F = OFFactories.getFactory(OFVersion.OF_13);

  private static List<FlowEntry> compiled() {
    List<FlowEntry> flows = new ArrayList<>();
    for (String host : List.of("host1", "host2")) {
      flows.addAll(HostCompiler.compile(SeedScenario.MODEL, SeedScenario.BINDINGS, host).flows());
      flows.addAll(HostCompiler.compile(SeedScenario.SECURED_MODEL, SeedScenario.SECURED_BINDINGS,
          host).flows());
    }
    return flows;
  }

  @Test
  void everyCompiledFlowRebuiltFromItsAccessorsIsEqual() {
    for (FlowEntry f : compiled()) {
      FlowEntry rebuilt = new FlowEntry(f.tableId(), f.priority(), f.match(),
          new ArrayList<>(f.instructions()), f.cookie());
      assertEquals(f, rebuilt);
      assertEquals(f.hashCode(), rebuilt.hashCode());
      assertEquals(f.key(), rebuilt.key());
    }
  }

  @Test
  void conjunctionFlowsSentAndReadBackAreUnchanged() {
    for (String host : List.of("host1", "host2")) {
      List<FlowEntry> desired =
          HostCompiler.compile(SeedScenario.SECURED_MODEL, SeedScenario.SECURED_BINDINGS, host)
              .flows();
      List<FlowEntry> conj = desired.stream()
          .filter(f -> f.match().get(ConjunctionId.FIELD) != null).toList();
      assertFalse(conj.isEmpty(), "the secured scenario compiles conj_id flows on " + host);
      List<FlowEntry> readBack = new ArrayList<>();
      for (FlowEntry f : desired) {
        readBack.add(throughTheWire(f, conj.contains(f)));
      }
      FlowDiff diff = FlowDiff.between(desired, readBack);
      assertTrue(diff.isEmpty(), () -> "adds " + diff.add() + " modifies " + diff.modify());
      assertEquals(desired.size(), diff.unchanged());
    }
  }

  /** As a flow-mod on the wire (conj_id's real header there) and back through the stand-ins. */
  private static FlowEntry throughTheWire(FlowEntry f, boolean conj) {
    OFFlowMod mod = F.buildFlowAdd().setTableId(TableId.of(f.tableId())).setPriority(f.priority())
        .setMatch(f.match()).setInstructions(f.instructions()).setCookie(U64.of(f.cookie()))
        .build();
    ByteBuf wire = Unpooled.buffer();
    NiciraWire.write(mod, wire);
    if (conj) {
      assertTrue(containsInt(wire, 0x0001_4a04), "conj_id header on the wire: " + f);
    }
    try {
      OFFlowMod read = (OFFlowMod) F.getReader().readFrom(NiciraStandIns.rewriteFlowMod(wire));
      return new FlowEntry(read.getTableId().getValue(), read.getPriority(), read.getMatch(),
          read.getInstructions(), read.getCookie().getValue());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static boolean containsInt(ByteBuf buf, int value) {
    for (int i = buf.readerIndex(); i + 4 <= buf.writerIndex(); i++) {
      if (buf.getInt(i) == value) {
        return true;
      }
    }
    return false;
  }
}
