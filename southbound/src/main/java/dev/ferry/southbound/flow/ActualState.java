package dev.ferry.southbound.flow;

import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFGroupDescStatsEntry;
import org.projectfloodlight.openflow.protocol.OFMeterConfig;
import org.projectfloodlight.openflow.protocol.OFMeterFlags;
import org.projectfloodlight.openflow.protocol.meterband.OFMeterBandDrop;

/** What a switch reports, in the same shapes Ferry desires. */
public final class ActualState {
  private ActualState() {}

  /**
   * A read-back flow in the same compact form as a desired one (match as OXM bytes, the shared
   * instance of its instruction list), so the full reconcile diff keys it without decoding and
   * an instruction list read back as sent is the desired flow's own instance.
   */
  public static FlowEntry flow(OFFlowStatsEntry entry) {
    return new FlowEntry(entry.getTableId().getValue(), entry.getPriority(), entry.getMatch(),
        entry.getInstructions(), entry.getCookie().getValue());
  }

  public static GroupEntry group(OFGroupDescStatsEntry entry) {
    return new GroupEntry(entry.getGroup().getGroupNumber() & 0xFFFF_FFFFL, entry.getGroupType(),
        entry.getBuckets());
  }

  /**
   * A meter in Ferry's shape; a meter that is not one drop band keeps rate -1 so it differs.
   * Without the BURST flag the burst size means nothing (OVS 3.1 reports it equal to the rate),
   * so it reads as 0, which is how Ferry asks for "no burst".
   */
  public static MeterEntry meter(OFMeterConfig config) {
    boolean pps = config.getFlags().contains(OFMeterFlags.PKTPS);
    boolean burst = config.getFlags().contains(OFMeterFlags.BURST);
    if (config.getEntries().size() == 1
        && config.getEntries().get(0) instanceof OFMeterBandDrop drop) {
      return new MeterEntry(config.getMeterId(), pps, drop.getRate(),
          burst ? drop.getBurstSize() : 0);
    }
    return new MeterEntry(config.getMeterId(), pps, -1, -1);
  }

}
