package dev.ferry.southbound.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.southbound.nicira.ConjunctionId;
import dev.ferry.southbound.nicira.NiciraWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFMetadata;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U64;

/** A flow-mod written from a flow's stored bytes is byte for byte the one openflowj writes. */
class WireMatchTest {
  private static final OFFactory F = OFFactories.getFactory(OFVersion.OF_13);

  /** Matches of every padding length (OXM lengths mod 8), masked fields and the conj_id stand-in. */
  private static List<Match> matches() {
    return List.of(
        F.buildMatch().build(),
        F.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(7)).build(),
        F.buildMatch().setExact(MatchField.ETH_TYPE, EthType.ARP).build(),
        F.buildMatch().setExact(MatchField.ETH_DST, MacAddress.of("02:00:00:00:00:01")).build(),
        F.buildMatch().setMasked(MatchField.METADATA, OFMetadata.of(U64.of(0x10001L << 1)),
            OFMetadata.of(U64.of(0xFFFFFEL))).setMasked(MatchField.ETH_DST,
            MacAddress.of("01:00:00:00:00:00"), MacAddress.of("01:00:00:00:00:00")).build(),
        F.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(3)).setExact(MatchField.ETH_TYPE, EthType.IPv4)
            .setMasked(MatchField.IPV4_DST, IPv4Address.of("10.1.0.0"), IPv4Address.of("255.255.0.0"))
            .setExact(MatchField.IP_PROTO, IpProtocol.TCP).setExact(MatchField.TCP_DST, TransportPort.of(80))
            .build(),
        F.buildMatch().setExact(MatchField.TUNNEL_ID, U64.of(0x10002)).setExact(MatchField.IPV4_SRC, IPv4Address.of("10.0.0.9"))
            .build(),
        F.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(3))
            .setExact(ConjunctionId.FIELD, ConjunctionId.of(77)).build());
  }

  @Test
  void aFlowModWithTheWireMatchIsByteForByteTheOneOpenflowjWrites() {
    for (Match match : matches()) {
      FlowEntry flow = new FlowEntry(20, 100, match, List.of(), 0x42);
      assertArrayEquals(bytes(flowAdd(match)), bytes(flowAdd(flow.wireMatch())), "match " + match);
    }
  }

  @Test
  void readsDecodeTheSameMatch() {
    for (Match match : matches()) {
      Match wire = new FlowEntry(20, 100, match, List.of(), 0x42).wireMatch();
      assertEquals(wire, match); // openflowj's own equals wants its own class: one way only
      assertEquals(match.hashCode(), wire.hashCode());
      assertEquals(match.toString(), wire.toString());
      assertEquals(match.get(MatchField.IN_PORT), wire.get(MatchField.IN_PORT));
    }
  }

  private static OFMessage flowAdd(Match match) {
    return F.buildFlowAdd().setXid(9).setTableId(TableId.of(20)).setPriority(100).setMatch(match)
        .setCookie(U64.of(0x42)).build();
  }

  /** As the switch reads it: through Ferry's one encode hook (the conj_id rewrite included). */
  private static byte[] bytes(OFMessage m) {
    ByteBuf buf = Unpooled.buffer();
    try {
      NiciraWire.write(m, buf);
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }
}
