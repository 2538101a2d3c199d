package dev.ferry.southbound.flow;

import com.google.common.hash.PrimitiveSink;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.Masked;
import org.projectfloodlight.openflow.types.OFValueType;

/**
 * A flow's match as a flow-mod carries it: written straight from the flow's stored OXM bytes
 * ({@link OxmBytes}), so installing 7,000 flows copies 7,000 small arrays instead of decoding
 * each into openflowj's object graph only to encode it again. Reads (a log line, an error
 * report) decode it once, on first use.
 */
final class WireMatch implements Match {
  private static final int OXM_MATCH_TYPE = 1; // OFPMT_OXM
  private static final int HEADER = 4;

  private final byte[] oxms;
  /** Decoded on first read; a race decodes twice into equal matches, which is harmless. */
  private Match decoded;

  WireMatch(byte[] oxms) {
    this.oxms = oxms;
  }

  /** ofp_match: type, length (header and OXMs, without padding), the OXMs, zeros to 8 bytes. */
  @Override
  public void writeTo(ByteBuf bb) {
    int length = HEADER + oxms.length;
    bb.writeShort(OXM_MATCH_TYPE);
    bb.writeShort(length);
    bb.writeBytes(oxms);
    bb.writeZero((8 - length % 8) % 8);
  }

  private Match decoded() {
    Match m = decoded;
    if (m == null) {
      m = OxmBytes.match(oxms);
      decoded = m;
    }
    return m;
  }

  @Override
  public OFVersion getVersion() {
    return OFVersion.OF_13;
  }

  @Override
  public <F extends OFValueType<F>> F get(MatchField<F> field) {
    return decoded().get(field);
  }

  @Override
  public <F extends OFValueType<F>> Masked<F> getMasked(MatchField<F> field) {
    return decoded().getMasked(field);
  }

  @Override
  public boolean supports(MatchField<?> field) {
    return decoded().supports(field);
  }

  @Override
  public boolean supportsMasked(MatchField<?> field) {
    return decoded().supportsMasked(field);
  }

  @Override
  public boolean isExact(MatchField<?> field) {
    return decoded().isExact(field);
  }

  @Override
  public boolean isFullyWildcarded(MatchField<?> field) {
    return decoded().isFullyWildcarded(field);
  }

  @Override
  public boolean isPartiallyMasked(MatchField<?> field) {
    return decoded().isPartiallyMasked(field);
  }

  @Override
  public Iterable<MatchField<?>> getMatchFields() {
    return decoded().getMatchFields();
  }

  @Override
  public Builder createBuilder() {
    return decoded().createBuilder();
  }

  @Override
  public void putTo(PrimitiveSink sink) {
    decoded().putTo(sink);
  }

  /** Equal to another wire match of the same bytes, and to any match that decodes equal. */
  @Override
  public boolean equals(Object o) {
    if (o instanceof WireMatch w) {
      return Arrays.equals(oxms, w.oxms);
    }
    return o instanceof Match && decoded().equals(o);
  }

  @Override
  public int hashCode() {
    return decoded().hashCode();
  }

  @Override
  public String toString() {
    return decoded().toString();
  }
}
