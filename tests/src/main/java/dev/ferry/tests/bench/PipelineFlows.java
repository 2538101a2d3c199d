package dev.ferry.tests.bench;

import dev.ferry.southbound.flow.DesiredState;
import dev.ferry.southbound.flow.FerryCookie;
import dev.ferry.southbound.flow.FlowEntry;
import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFMetadata;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * A synthetic desired state shaped like Ferry's pipeline, for reconcile tests and benchmarks
 * on real switches: flow {@code i} is one of five kinds, each in its own table/priority, and
 * {@link #ovsText(int)} says how {@code ovs-ofctl --no-stats dump-flows} prints it.
 *
 * <ol start="0">
 *   <li>table 0: in_port=container -> write_metadata(network), goto_table 10</li>
 *   <li>table 0: in_port=vxlan, tun_id=VNI -> write_metadata(network), goto_table 10</li>
 *   <li>table 10: metadata=network -> goto_table 50</li>
 *   <li>table 50: metadata=network, eth_dst=local MAC -> output:container</li>
 *   <li>table 50: metadata=network, eth_dst=remote MAC -> set tun_id, set tun_dst, output:vxlan</li>
 * </ol>
 */
public final class PipelineFlows {
  public static final int APP_ID = 0x42;
  public static final long NETWORK_MASK = 0xFFFFFFL;
  public static final int VXLAN_PORT = 1;
  public static final int KINDS = 5;
  private static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);

  private PipelineFlows() {}

  public static DesiredState desired(int count) {
    List<FlowEntry> flows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      flows.add(flow(i));
    }
    return new DesiredState(flows, List.of(), List.of());
  }

  public static FlowEntry flow(int i) {
    long network = i + 1;
    long cookie = FerryCookie.of(APP_ID, i);
    return switch (i % KINDS) {
      case 0 -> new FlowEntry(0, 100, match().setExact(MatchField.IN_PORT, OFPort.of(containerPort(i))).build(),
          classify(network), cookie);
      case 1 -> new FlowEntry(0, 110, match().setExact(MatchField.IN_PORT, OFPort.of(VXLAN_PORT))
          .setExact(MatchField.TUNNEL_ID, U64.of(vni(i))).build(), classify(network), cookie);
      case 2 -> new FlowEntry(10, 200, network(network).build(),
          List.of(OF13.instructions().gotoTable(TableId.of(50))), cookie);
      case 3 -> new FlowEntry(50, 300, network(network).setExact(MatchField.ETH_DST, mac(i)).build(),
          List.of(OF13.instructions().applyActions(List.of(
              OF13.actions().output(OFPort.of(containerPort(i)), 0)))), cookie);
      default -> new FlowEntry(50, 300, network(network).setExact(MatchField.ETH_DST, mac(i)).build(),
          List.of(OF13.instructions().applyActions(List.of(
              OF13.actions().setField(OF13.oxms().tunnelId(U64.of(vni(i)))),
              OF13.actions().setField(OF13.oxms().tunnelIpv4Dst(tunnelDst(i))),
              OF13.actions().output(OFPort.of(VXLAN_PORT), 0)))), cookie);
    };
  }

  /** Flow {@code i} as {@code ovs-ofctl -O OpenFlow13 --no-stats dump-flows} prints it. */
  public static String ovsText(int i) {
    String cookie = "cookie=0x" + Long.toHexString(FerryCookie.of(APP_ID, i));
    String metadata = "metadata=0x" + Long.toHexString(i + 1) + "/0x" + Long.toHexString(NETWORK_MASK);
    String write = "write_metadata:0x" + Long.toHexString(i + 1) + "/0x" + Long.toHexString(NETWORK_MASK);
    return switch (i % KINDS) {
      case 0 -> cookie + ", priority=100,in_port=" + containerPort(i) + " actions=" + write + ",goto_table:10";
      case 1 -> cookie + ", priority=110,tun_id=0x" + Long.toHexString(vni(i)) + ",in_port=" + VXLAN_PORT
          + " actions=" + write + ",goto_table:10";
      case 2 -> cookie + ", table=10, priority=200," + metadata + " actions=goto_table:50";
      case 3 -> cookie + ", table=50, priority=300," + metadata + ",dl_dst=" + mac(i)
          + " actions=output:" + containerPort(i);
      default -> cookie + ", table=50, priority=300," + metadata + ",dl_dst=" + mac(i)
          + " actions=set_field:0x" + Long.toHexString(vni(i)) + "->tun_id,set_field:" + tunnelDst(i)
          + "->tun_dst,output:" + VXLAN_PORT;
    };
  }

  /** The flows' identities as ovs-ofctl strict commands take them, e.g. for del-flows --strict. */
  public static String ovsStrictKey(int i) {
    String text = ovsText(i);
    return text.substring(text.indexOf(", ") + 2, text.indexOf(" actions="));
  }

  private static List<OFInstruction> classify(long network) {
    return List.of(
        OF13.instructions().buildWriteMetadata()
            .setMetadata(U64.of(network)).setMetadataMask(U64.of(NETWORK_MASK)).build(),
        OF13.instructions().gotoTable(TableId.of(10)));
  }

  private static Match.Builder match() {
    return OF13.buildMatch();
  }

  private static Match.Builder network(long network) {
    return match().setMasked(MatchField.METADATA,
        OFMetadata.of(U64.of(network)), OFMetadata.of(U64.of(NETWORK_MASK)));
  }

  private static int containerPort(int i) {
    return 100 + i;
  }

  private static long vni(int i) {
    return 5000 + i;
  }

  private static MacAddress mac(int i) {
    return MacAddress.of(0x020000000000L | i);
  }

  private static IPv4Address tunnelDst(int i) {
    return IPv4Address.of(0x0A800000 | (i & 0xFFFF));
  }
}
