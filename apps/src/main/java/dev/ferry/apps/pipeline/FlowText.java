package dev.ferry.apps.pipeline;

import dev.ferry.southbound.flow.DesiredState;
import dev.ferry.southbound.flow.FerryCookie;
import dev.ferry.southbound.flow.FlowEntry;
import dev.ferry.southbound.flow.GroupEntry;
import dev.ferry.southbound.flow.MeterEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.projectfloodlight.openflow.protocol.OFBucket;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionGroup;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.action.OFActionSetField;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionGotoTable;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionMeter;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionWriteMetadata;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.OFMetadata;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.OFValueType;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U64;

/**
 * Prints flows, groups and meters in ovs-ofctl syntax. {@link Style#NAMED} writes table names
 * and the owning app (for golden files and human views); {@link Style#OVS} writes table ids and
 * raw cookies so that `ovs-ofctl add-flows / add-groups / add-meters` accept the lines as is.
 */
public final class FlowText {
  public enum Style { NAMED, OVS }

  /**
   * Names for a human view of one switch's flows: each method returns null to keep the number
   * (a port that is nobody's, a foreign metadata value). See {@code dev.ferry.apps.trace.FlowNames}.
   */
  public interface Names {
    Names NONE = new Names() {};

    /** An OpenFlow port number as a name (a port's name, "vxlan0", the uplink's interface). */
    default String port(int ofPort) {
      return null;
    }

    /** A metadata value (and mask, null when exact) as network name and VNI. */
    default String metadata(long value, Long mask) {
      return null;
    }

    /** A tunnel destination address as the host it leads to. */
    default String tunnelDst(String ip) {
      return null;
    }

    /** A cookie as its owner's name. */
    default String cookie(long cookie) {
      return null;
    }
  }

  private static final Map<String, String> FIELD_NAMES = Map.ofEntries(
      Map.entry(MatchField.IN_PORT.getName(), "in_port"),
      Map.entry(MatchField.CONN_TRACKING_STATE.getName(), "ct_state"),
      Map.entry(MatchField.CONN_TRACKING_MARK.getName(), "ct_mark"),
      Map.entry(MatchField.BSN_VRF.getName(), "conj_id"),
      Map.entry(MatchField.METADATA.getName(), "metadata"),
      Map.entry(MatchField.TUNNEL_ID.getName(), "tun_id"),
      Map.entry(MatchField.TUNNEL_IPV4_DST.getName(), "tun_dst"),
      Map.entry(MatchField.ETH_SRC.getName(), "dl_src"),
      Map.entry(MatchField.ETH_DST.getName(), "dl_dst"),
      Map.entry(MatchField.ETH_TYPE.getName(), "dl_type"),
      Map.entry(MatchField.IP_PROTO.getName(), "nw_proto"),
      Map.entry(MatchField.IPV4_SRC.getName(), "nw_src"),
      Map.entry(MatchField.IPV4_DST.getName(), "nw_dst"),
      Map.entry(MatchField.UDP_SRC.getName(), "tp_src"),
      Map.entry(MatchField.UDP_DST.getName(), "tp_dst"),
      Map.entry(MatchField.TCP_SRC.getName(), "tcp_src"),
      Map.entry(MatchField.TCP_DST.getName(), "tcp_dst"),
      Map.entry(MatchField.ARP_OP.getName(), "arp_op"),
      Map.entry(MatchField.ARP_SPA.getName(), "arp_spa"),
      Map.entry(MatchField.ARP_TPA.getName(), "arp_tpa"),
      Map.entry(MatchField.ARP_SHA.getName(), "arp_sha"),
      Map.entry(MatchField.ARP_THA.getName(), "arp_tha"),
      Map.entry(MatchField.ICMPV4_TYPE.getName(), "icmp_type"),
      Map.entry(MatchField.ICMPV4_CODE.getName(), "icmp_code"));

  private FlowText() {}

  /** Every flow, group and meter, one per line, sorted: flows, then groups, then meters. */
  public static String of(DesiredState state, Style style) {
    List<String> lines = new ArrayList<>();
    state.flows().stream().sorted(flowOrder())
        .forEach(f -> lines.add(flow(f, style)));
    state.groups().stream().sorted(Comparator.comparingLong(GroupEntry::groupId))
        .forEach(g -> lines.add(group(g)));
    state.meters().stream().sorted(Comparator.comparingLong(MeterEntry::meterId))
        .forEach(m -> lines.add(meter(m)));
    return String.join("\n", lines) + "\n";
  }

  /** Table order, highest priority first, then by text: the order a reader scans. */
  private static Comparator<FlowEntry> flowOrder() {
    return Comparator.comparingInt(FlowEntry::tableId)
        .thenComparing(Comparator.comparingInt(FlowEntry::priority).reversed())
        .thenComparing(f -> flow(f, Style.OVS));
  }

  public static String flow(FlowEntry f, Style style) {
    return flow(f, style, Names.NONE);
  }

  /** A flow with ports, networks, tunnel ends and owners named (a human view, not ofctl input). */
  public static String flow(FlowEntry f, Style style, Names names) {
    String match = match(f.match(), names);
    String owner = names.cookie(f.cookie());
    return "table=" + table(f.tableId(), style) + ", priority=" + f.priority()
        + ", cookie=" + (owner != null ? owner : cookie(f.cookie(), style))
        + (match.isEmpty() ? "" : ", " + match)
        + " actions=" + instructions(f.instructions(), style, names);
  }

  public static String group(GroupEntry g) {
    String buckets = g.buckets().stream().map(FlowText::bucket).collect(Collectors.joining(","));
    return "group_id=" + g.groupId() + ",type=" + g.type().name().toLowerCase() + "," + buckets;
  }

  public static String meter(MeterEntry m) {
    return "meter=" + m.meterId() + "," + (m.pps() ? "pktps" : "kbps") + ",burst,band=type=drop"
        + ",rate=" + m.rate() + ",burst_size=" + m.burst();
  }

  private static String bucket(OFBucket b) {
    return "bucket=actions=" + actions(b.getActions(), Names.NONE);
  }

  private static String table(int id, Style style) {
    return style == Style.OVS ? Integer.toString(id) : Table.byId(id).tableName();
  }

  private static String cookie(long cookie, Style style) {
    if (style == Style.OVS || !FerryCookie.isFerry(cookie)) {
      return "0x" + Long.toHexString(cookie);
    }
    return FerryApp.byId(FerryCookie.appId(cookie)).name().toLowerCase()
        + "/" + Long.toHexString(FerryCookie.objectId(cookie));
  }

  public static String match(Match match) {
    return match(match, Names.NONE);
  }

  public static String match(Match match, Names names) {
    return StreamSupport.stream(match.getMatchFields().spliterator(), false)
        .map(field -> fieldName(field) + "=" + matchValue(match, field, names))
        .collect(Collectors.joining(","));
  }

  private static <F extends OFValueType<F>> String matchValue(Match m, MatchField<F> field,
      Names names) {
    if (m.isExact(field)) {
      return named(m.get(field), null, names);
    }
    var masked = m.getMasked(field);
    if (masked.getValue() instanceof OFMetadata md) {
      String n = names.metadata(md.getValue().getValue(),
          ((OFMetadata) masked.getMask()).getValue().getValue());
      if (n != null) {
        return n;
      }
    }
    return value(masked.getValue()) + "/" + value(masked.getMask());
  }

  /** A value with its name when the names know it, else as ovs-ofctl prints it. */
  private static String named(Object v, Long mask, Names names) {
    String n = null;
    if (v instanceof OFPort p) {
      n = names.port(p.getPortNumber());
    } else if (v instanceof OFMetadata md) {
      n = names.metadata(md.getValue().getValue(), mask);
    }
    return n != null ? n : value(v);
  }

  private static String fieldName(MatchField<?> field) {
    return FIELD_NAMES.getOrDefault(field.getName(), field.getName());
  }

  static String value(Object v) {
    if (v instanceof OFPort p) {
      return Integer.toString(p.getPortNumber());
    } else if (v instanceof OFMetadata md) {
      return "0x" + Long.toHexString(md.getValue().getValue());
    } else if (v instanceof U64 u) {
      return "0x" + Long.toHexString(u.getValue());
    } else if (v instanceof EthType t) {
      return String.format("0x%04x", t.getValue());
    } else if (v instanceof ArpOpcode op) {
      return Integer.toString(op.getOpcode());
    } else if (v instanceof IpProtocol proto) {
      return Short.toString(proto.getIpProtocolNumber());
    } else if (v instanceof org.projectfloodlight.openflow.types.VRF vrf) {
      return Long.toString(vrf.getInt() & 0xffffffffL);
    } else if (v instanceof TransportPort tp) {
      return Integer.toString(tp.getPort());
    } else if (v instanceof org.projectfloodlight.openflow.types.ICMPv4Type t) {
      return Short.toString(t.getType());
    } else if (v instanceof org.projectfloodlight.openflow.types.ICMPv4Code c) {
      return Short.toString(c.getCode());
    }
    return v.toString();
  }

  /** Instructions in OpenFlow 1.3 execution order, which is also ovs-ofctl's required order. */
  private static String instructions(List<OFInstruction> instructions, Style style, Names names) {
    List<String> parts = new ArrayList<>();
    for (OFInstruction i : instructions) {
      if (i instanceof OFInstructionMeter m) {
        parts.add("meter:" + m.getMeterId());
      } else if (i instanceof OFInstructionApplyActions a) {
        parts.add(actions(a.getActions(), names));
      } else if (i instanceof OFInstructionWriteMetadata w) {
        String n = names.metadata(w.getMetadata().getValue(), w.getMetadataMask().getValue());
        parts.add(n != null ? "write_metadata:" + n
            : "write_metadata:0x" + Long.toHexString(w.getMetadata().getValue())
            + "/0x" + Long.toHexString(w.getMetadataMask().getValue()));
      } else if (i instanceof OFInstructionGotoTable g) {
        parts.add("goto_table:" + table(g.getTableId().getValue(), style));
      } else {
        parts.add(i.toString());
      }
    }
    return parts.isEmpty() ? "drop" : String.join(",", parts);
  }

  public static String actions(List<OFAction> actions) {
    return actions(actions, Names.NONE);
  }

  public static String actions(List<OFAction> actions, Names names) {
    return actions.stream().map(a -> action(a, names)).collect(Collectors.joining(","));
  }

  private static String action(OFAction a, Names names) {
    if (a instanceof OFActionOutput o) {
      if (o.getPort().equals(OFPort.IN_PORT)) {
        return "IN_PORT";
      }
      return o.getPort().equals(OFPort.CONTROLLER)
          ? "CONTROLLER:" + o.getMaxLen() : "output:" + named(o.getPort(), null, names);
    } else if (a instanceof OFActionSetField s) {
      Object v = s.getField().getValue();
      String n = s.getField().getMatchField().equals(MatchField.TUNNEL_IPV4_DST)
          ? names.tunnelDst(v.toString()) : null;
      return "set_field:" + (n != null ? n : named(v, null, names)) + "->"
          + fieldName(s.getField().getMatchField());
    } else if (a instanceof OFActionGroup g) {
      return "group:" + g.getGroup().getGroupNumber();
    } else if (a instanceof org.projectfloodlight.openflow.protocol.action.OFActionDecNwTtl) {
      return "dec_ttl";
    }
    return a.toString();
  }
}
