package dev.ferry.southbound.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFGroupType;
import org.projectfloodlight.openflow.protocol.OFMeterFlags;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;

class GroupAndMeterDiffTest {
  private static final OFFactory F = OFFactories.getFactory(OFVersion.OF_13);

  @Test
  void groupsAreAddedRewrittenAndDeletedById() {
    GroupDiff diff = GroupDiff.between(List.of(group(1, 5), group(2, 6)),
        List.of(group(1, 7), group(3, 8)), id -> true);
    assertEquals(List.of(2L), ids(diff.add()));
    assertEquals(List.of(1L), ids(diff.modify()));
    assertEquals(List.of(3L), ids(diff.delete()));
  }

  @Test
  void anIdenticalGroupNeedsNothing() {
    assertTrue(GroupDiff.between(List.of(group(1, 5)), List.of(group(1, 5)), id -> true)
        .isEmpty());
  }

  @Test
  void groupsNotOwnedAreNeverDeleted() {
    assertTrue(GroupDiff.between(List.of(), List.of(group(900, 5)), id -> id < 100).isEmpty());
  }

  @Test
  void metersAreComparedByRateBurstAndUnit() {
    MeterDiff diff = MeterDiff.between(
        List.of(new MeterEntry(1, true, 100, 10), new MeterEntry(2, false, 1000, 0)),
        List.of(new MeterEntry(1, true, 100, 20), new MeterEntry(2, false, 1000, 0),
            new MeterEntry(3, true, 5, 0)), id -> true);
    assertTrue(diff.add().isEmpty());
    assertEquals(List.of(new MeterEntry(1, true, 100, 10)), diff.modify());
    assertEquals(3, diff.delete().get(0).meterId());
  }

  @Test
  void aMeterWithoutTheBurstFlagReadsAsBurstZeroWhateverTheSwitchReports() {
    // OVS 3.1 reports burst_size == rate for a meter created without OFPMF_BURST
    var reported = F.buildMeterConfig().setMeterId(2).setFlags(Set.of(OFMeterFlags.KBPS))
        .setEntries(List.of(F.meterBands().buildDrop().setRate(1000).setBurstSize(1000).build()))
        .build();
    assertEquals(new MeterEntry(2, false, 1000, 0), ActualState.meter(reported));
  }

  @Test
  void aMeterWithTheBurstFlagKeepsItsBurst() {
    var reported = F.buildMeterConfig().setMeterId(1)
        .setFlags(Set.of(OFMeterFlags.PKTPS, OFMeterFlags.BURST))
        .setEntries(List.of(F.meterBands().buildDrop().setRate(100).setBurstSize(20).build()))
        .build();
    assertEquals(new MeterEntry(1, true, 100, 20), ActualState.meter(reported));
  }

  private static List<Long> ids(List<GroupEntry> groups) {
    return groups.stream().map(GroupEntry::groupId).toList();
  }

  private static GroupEntry group(long id, int port) {
    return new GroupEntry(id, OFGroupType.ALL, List.of(F.buildBucket()
        .setWatchPort(OFPort.ANY).setWatchGroup(OFGroup.ANY)
        .setActions(List.of(F.actions().output(OFPort.of(port), 0))).build()));
  }
}
