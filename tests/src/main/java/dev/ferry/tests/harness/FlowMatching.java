package dev.ferry.tests.harness;

import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.Masked;
import org.projectfloodlight.openflow.types.OFValueType;
import org.projectfloodlight.openflow.types.U64;

/** The OpenFlow rules for non-strict match and cookie-mask selection of flows. */
final class FlowMatching {
  private FlowMatching() {}

  /** True when {@code filter} cookie/mask selects a flow with {@code cookie}. */
  static boolean cookieSelects(U64 filterCookie, U64 filterMask, U64 cookie) {
    long mask = filterMask.getValue();
    return (cookie.getValue() & mask) == (filterCookie.getValue() & mask);
  }

  /**
   * Non-strict match: every field the filter constrains, the flow constrains at least as
   * narrowly and inside the filter's range (a fully wildcarded filter selects every flow).
   */
  static boolean covers(Match filter, Match flow) {
    for (MatchField<?> field : filter.getMatchFields()) {
      if (!fieldCovers(filter, flow, field)) {
        return false;
      }
    }
    return true;
  }

  private static <F extends OFValueType<F>> boolean fieldCovers(Match filter, Match flow,
      MatchField<F> field) {
    if (!flow.supports(field) || flow.isFullyWildcarded(field)) {
      return false;
    }
    if (filter.isExact(field)) {
      return flow.isExact(field) && flow.get(field).equals(filter.get(field));
    }
    Masked<F> wanted = filter.getMasked(field);
    F mask = wanted.getMask();
    if (flow.isExact(field)) {
      return flow.get(field).applyMask(mask).equals(wanted.getValue().applyMask(mask));
    }
    Masked<F> held = flow.getMasked(field);
    return held.getMask().applyMask(mask).equals(mask)
        && held.getValue().applyMask(mask).equals(wanted.getValue().applyMask(mask));
  }
}
