package dev.ferry.southbound.nicira;

import com.google.common.hash.PrimitiveSink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.projectfloodlight.openflow.protocol.OFActionType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.IPv4Address;

/**
 * OVS's {@code ct(...)} action with an optional nested {@code nat(...)}: the two Nicira
 * experimenter actions (NXAST_CT = 35, NXAST_NAT = 36) openflowj lacks, encoded exactly as OVS
 * 3.1 encodes them (include/openvswitch/ofp-actions.h, lib/ofp-actions.c):
 *
 * <pre>
 * ct:  ffff len 00002320 0023 flags(commit=1) zone_src=0 zone(16) recirc_table pad[3] alg=0 [nat]
 * nat: ffff len 00002320 0024 pad[2] flags(src=1,dst=2) range_present(ipv4_min=1) [ipv4] pad-to-8
 * </pre>
 *
 * A value (record): equal actions are equal objects. Switches send these back in flow stats,
 * which openflowj cannot parse; {@link NiciraStandIns} replaces them there with a digest of their
 * bytes, and {@link #digest()} is the same digest of this action, so the reconciler compares the two.
 *
 * @param zone conntrack zone (immediate, 0..65535)
 * @param recircTable table to resubmit the tracked packet to, or {@link #NO_RECIRC}
 * @param nat null for no nat; else {@link Nat}
 */
public record NiciraConntrack(boolean commit, int zone, int recircTable, Nat nat, java.util.List<NiciraAction> exec)
    implements NiciraAction {
  public static final int NO_RECIRC = 255;
  static final int NX_VENDOR_ID = 0x2320;
  static final int NXAST_CT = 35;
  static final int NXAST_NAT = 36;
  private static final int CT_LENGTH = 24;

  /**
   * nat(): flags 0 = undo/continue the NAT of an existing connection; SRC with an address =
   * source NAT to it.
   */
  public record Nat(int flags, IPv4Address address) {
    static final int SRC = 1;
    static final int RANGE_IPV4_MIN = 1;

    public static Nat existing() {
      return new Nat(0, null);
    }

    public static Nat source(IPv4Address to) {
      return new Nat(SRC, to);
    }

    int length() {
      return address == null ? 16 : 24;
    }

    void writeTo(ByteBuf bb) {
      bb.writeShort(0xffff).writeShort(length()).writeInt(NX_VENDOR_ID).writeShort(NXAST_NAT);
      bb.writeZero(2).writeShort(flags).writeShort(address == null ? 0 : RANGE_IPV4_MIN);
      if (address != null) {
        bb.writeInt(address.getInt()).writeZero(4);
      }
    }
  }

  public NiciraConntrack(boolean commit, int zone, int recircTable, Nat nat) {
    this(commit, zone, recircTable, nat, java.util.List.of());
  }

  /** {@code ct(table=T,zone=Z)}: track (no NAT) and resubmit to T. */
  public static NiciraConntrack track(int zone, int table) {
    return new NiciraConntrack(false, zone, table, null);
  }

  /** {@code ct(commit,zone=Z,exec(...))}: commit, setting connection fields (ct_mark) as it does. */
  public static NiciraConntrack commit(int zone, java.util.List<NiciraAction> exec) {
    return new NiciraConntrack(true, zone, NO_RECIRC, null, exec);
  }

  public NiciraConntrack {
    exec = java.util.List.copyOf(exec);
    if (zone < 0 || zone > 0xffff || recircTable < 0 || recircTable > NO_RECIRC) {
      throw new IllegalArgumentException("zone or table out of range: " + zone + ", " + recircTable);
    }
  }

  /** {@code ct(commit,zone=Z,nat(src=ADDRESS))}: track, commit and source-NAT. */
  public static NiciraConntrack commitSnat(int zone, IPv4Address to) {
    return new NiciraConntrack(true, zone, NO_RECIRC, Nat.source(to));
  }

  /** {@code ct(table=T,zone=Z,nat)}: track, undo the NAT of a known connection, resubmit to T. */
  public static NiciraConntrack unNat(int zone, int table) {
    return new NiciraConntrack(false, zone, table, Nat.existing());
  }

  @Override
  public OFActionType getType() {
    return OFActionType.EXPERIMENTER;
  }

  @Override
  public OFVersion getVersion() {
    return OFVersion.OF_13;
  }

  @Override
  public void writeTo(ByteBuf bb) {
    int start = bb.writerIndex();
    bb.writeShort(0xffff).writeShort(0).writeInt(NX_VENDOR_ID).writeShort(NXAST_CT);
    bb.writeShort(commit ? 1 : 0).writeInt(0).writeShort(zone);
    bb.writeByte(recircTable).writeZero(3).writeShort(0);
    if (nat != null) {
      nat.writeTo(bb);
    }
    exec.forEach(a -> a.writeTo(bb));
    bb.setShort(start + 2, bb.writerIndex() - start);
  }

  /** The bytes as sent on the wire. */
  public byte[] bytes() {
    ByteBuf bb = Unpooled.buffer();
    writeTo(bb);
    byte[] out = new byte[bb.readableBytes()];
    bb.readBytes(out);
    return out;
  }

  /** The digest the reconciler compares (see {@link NiciraStandIns}). */
  public String digest() {
    return NiciraStandIns.digest(bytes());
  }

  @Override
  public Builder createBuilder() {
    throw new UnsupportedOperationException("NiciraConntrack is immutable; build a new one");
  }

  @Override
  public void putTo(PrimitiveSink sink) {
    sink.putBytes(bytes());
  }

  @Override
  public String toString() {
    String natText = nat == null ? "" : nat.address() == null ? ",nat"
        : ",nat(src=" + nat.address() + ")";
    return "ct(" + (commit ? "commit," : "") + (recircTable == NO_RECIRC ? "" : "table=" + recircTable + ",")
        + "zone=" + zone + natText
        + (exec.isEmpty() ? "" : ",exec(" + String.join(",", exec.stream().map(Object::toString).toList()) + ")") + ")";
  }
}
