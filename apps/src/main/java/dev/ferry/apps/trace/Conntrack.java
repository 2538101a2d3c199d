package dev.ferry.apps.trace;

import dev.ferry.southbound.nicira.NiciraConntrack;
import dev.ferry.southbound.nicira.NiciraFieldMove;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U32;

/**
 * A host's connection table for {@link PacketTracer}, as much of OVS conntrack as Ferry's
 * security groups use: ct(zone, table) sets ct_state (+trk, +new or +est, +rpl for replies)
 * and ct_mark from the zone's entry; ct(commit, exec(move metadata -> ct_mark)) records the
 * connection with the mark; ct(commit, nat(src=A)) also source-NATs the packet to A (ports
 * kept: Ferry NATs each port to its own address first, so tuples never collide), and
 * ct(table, nat) on a reply to A undoes it: destination back to the private address, +est+rpl.
 * No timeouts, no TCP state machine. One owner: the walk that traces (not thread-safe).
 */
public final class Conntrack {
  static final int NEW = 0x01;
  static final int EST = 0x02;
  static final int RPL = 0x08;
  static final int TRK = 0x20;

  private record Tuple(int zone, int proto, int src, int dst, int sport, int dport) {
    Tuple reversed() {
      return new Tuple(zone, proto, dst, src, dport, sport);
    }
  }

  private final Map<Tuple, Long> marks = new HashMap<>();
  /** A source-NATed connection's reply as it arrives -> the same reply after un-NAT. */
  private final Map<Tuple, Tuple> unNat = new HashMap<>();

  /** Number of committed connections. */
  public int size() {
    return marks.size();
  }

  Packet apply(NiciraConntrack ct, Packet p) {
    Tuple t = tuple(ct.zone(), p);
    if (ct.commit()) {
      long mark = 0;
      for (var a : ct.exec()) {
        if (a instanceof NiciraFieldMove m && m.dst() == NiciraFieldMove.BitField.CT_MARK) {
          mark = (p.metadata() >>> m.srcOfs()) & ((1L << m.bits()) - 1);
        }
      }
      Tuple key = marks.containsKey(t.reversed()) && !marks.containsKey(t) ? t.reversed() : t;
      marks.put(key, mark);
      if (ct.nat() != null && ct.nat().address() != null) {
        IPv4Address to = ct.nat().address();
        Tuple natted = new Tuple(t.zone(), t.proto(), to.getInt(), t.dst(), t.sport(), t.dport());
        unNat.put(natted.reversed(), t.reversed());
        marks.put(natted, mark);
        return p.with(MatchField.IPV4_SRC, to);
      }
      return p;
    }
    if (ct.nat() != null && unNat.containsKey(t)) {
      Tuple original = unNat.get(t);
      return p.with(MatchField.IPV4_DST, IPv4Address.of(original.dst()))
          .with(MatchField.CONN_TRACKING_STATE, U32.of(TRK | EST | RPL))
          .with(MatchField.CONN_TRACKING_MARK, U32.of(marks.getOrDefault(original.reversed(), 0L)));
    }
    int state;
    Long mark;
    if (marks.containsKey(t)) {
      state = TRK | EST;
      mark = marks.get(t);
    } else if (marks.containsKey(t.reversed())) {
      state = TRK | EST | RPL;
      mark = marks.get(t.reversed());
    } else {
      state = TRK | NEW;
      mark = 0L;
    }
    return p.with(MatchField.CONN_TRACKING_STATE, U32.of(state))
        .with(MatchField.CONN_TRACKING_MARK, U32.of(mark));
  }

  private static Tuple tuple(int zone, Packet p) {
    IpProtocol proto = p.get(MatchField.IP_PROTO);
    IPv4Address src = p.get(MatchField.IPV4_SRC);
    IPv4Address dst = p.get(MatchField.IPV4_DST);
    int sport = 0;
    int dport = 0;
    for (var pair : List.of(List.of(MatchField.TCP_SRC, MatchField.TCP_DST), List.of(MatchField.UDP_SRC, MatchField.UDP_DST))) {
      @SuppressWarnings("unchecked")
      TransportPort s = p.get((MatchField<TransportPort>) pair.get(0));
      @SuppressWarnings("unchecked")
      TransportPort d = p.get((MatchField<TransportPort>) pair.get(1));
      if (s != null && d != null) {
        sport = s.getPort();
        dport = d.getPort();
      }
    }
    return new Tuple(zone, proto == null ? 0 : proto.getIpProtocolNumber(), src == null ? 0 : src.getInt(),
        dst == null ? 0 : dst.getInt(), sport, dport);
  }
}
