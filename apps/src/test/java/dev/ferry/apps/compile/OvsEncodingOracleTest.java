package dev.ferry.apps.compile;

import static dev.ferry.apps.pipeline.OpenFlow.OF13;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.apps.pipeline.FlowText;
import dev.ferry.apps.testing.RandomModels;
import dev.ferry.apps.testing.SeedScenario;
import dev.ferry.southbound.flow.DesiredState;
import dev.ferry.southbound.flow.FlowEntry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.types.U64;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.protocol.OFMeterFlags;
import org.projectfloodlight.openflow.protocol.OFMeterModCommand;
import dev.ferry.southbound.flow.GroupEntry;
import dev.ferry.southbound.flow.MeterEntry;
import java.util.Set;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OVS's own printer as the oracle: each compiled flow, encoded by openflowj as an OF1.3
 * flow-mod and printed by `ovs-ofctl ofp-print`, must read exactly like FlowText's line parsed
 * by `ovs-ofctl parse-flow`. So FlowText says what the wire says, and OVS takes both.
 * Skipped where OVS is not installed.
 */
class OvsEncodingOracleTest {
  private static final Path OVS_OFCTL = Path.of("/usr/bin/ovs-ofctl");

  @Test
  void seedFlowsEncodeToWhatTheirTextSays() throws Exception {
    assumeTrue(Files.isExecutable(OVS_OFCTL), "ovs-ofctl not installed");
    for (String host : List.of("host1", "host2")) {
      checkAll(HostCompiler.compile(SeedScenario.MODEL, SeedScenario.BINDINGS, host));
    }
    checkAll(HostCompiler.compile(SeedScenario.ROUTED_MODEL, SeedScenario.ROUTED_BINDINGS,
        "host2"));
    for (String host : List.of("host1", "host2")) {
      checkAll(HostCompiler.compile(SeedScenario.SECURED_MODEL, SeedScenario.SECURED_BINDINGS, host));
    }
  }

  @Test
  void randomModelFlowsEncodeToWhatTheirTextSays() throws Exception {
    assumeTrue(Files.isExecutable(OVS_OFCTL), "ovs-ofctl not installed");
    RandomModels.Scenario s = RandomModels.generate(7);
    checkAll(HostCompiler.compile(s.model(), s.bindings(), "h1"));
  }

  private static void checkAll(DesiredState state) throws Exception {
    for (FlowEntry f : state.flows()) {
      String fromText = flowModLine(run("-O", "OpenFlow13", "parse-flow",
          FlowText.flow(f, FlowText.Style.OVS)));
      String fromWire = flowModLine(run("ofp-print", hex(flowAdd(f))));
      assertEquals(fromText, fromWire, FlowText.flow(f, FlowText.Style.NAMED));
    }
  }

  /**
   * Groups and meters have no parse command: their printed mod must contain FlowText's line.
   * Note for the reconciler: openflowj 3.6 names an OF1.3 meter-mod's bands "meters"
   * (setMeters); setBands throws for 1.3.
   */
  @Test
  void seedGroupsAndMetersEncodeToWhatTheirTextSays() throws Exception {
    assumeTrue(Files.isExecutable(OVS_OFCTL), "ovs-ofctl not installed");
    DesiredState state = HostCompiler.compile(SeedScenario.MODEL, SeedScenario.BINDINGS, "host1");
    for (GroupEntry g : state.groups()) {
      String printed = run("ofp-print", hex(OF13.buildGroupAdd().setXid(1)
          .setGroup(OFGroup.of((int) g.groupId())).setGroupType(g.type())
          .setBuckets(g.buckets()).build()));
      assertTrue(printed.replaceAll("\\s+", "").contains(FlowText.group(g)), printed);
    }
    for (MeterEntry m : state.meters()) {
      String printed = run("ofp-print", hex(OF13.buildMeterMod().setXid(1)
          .setCommand(OFMeterModCommand.ADD).setMeterId(m.meterId())
          .setFlags(Set.of(OFMeterFlags.PKTPS, OFMeterFlags.BURST))
          .setMeters(List.of(OF13.meterBands().buildDrop().setRate(m.rate())
              .setBurstSize(m.burst()).build())).build()));
      assertTrue(printed.contains("meter=1 pktps burst bands=")
          && printed.contains("type=drop rate=1000 burst_size=100"), printed);
    }
  }

  private static OFMessage flowAdd(FlowEntry f) {
    return OF13.buildFlowAdd().setXid(1).setTableId(
            org.projectfloodlight.openflow.types.TableId.of(f.tableId()))
        .setPriority(f.priority()).setMatch(f.match()).setInstructions(f.instructions())
        .setCookie(U64.of(f.cookie())).build();
  }

  private static String hex(OFMessage m) {
    ByteBuf buf = Unpooled.buffer();
    dev.ferry.southbound.nicira.NiciraWire.write(m, buf); // as Ferry sends it
    return ByteBufUtil.hexDump(buf);
  }

  private static String flowModLine(String output) {
    return output.lines().filter(l -> l.contains("OFPT_FLOW_MOD")).findFirst()
        .orElseThrow(() -> new AssertionError("OVS did not print a flow-mod: " + output))
        .replaceAll("\\(xid=0x[0-9a-f]+\\)", "").trim();
  }

  private static String run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(OVS_OFCTL.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
