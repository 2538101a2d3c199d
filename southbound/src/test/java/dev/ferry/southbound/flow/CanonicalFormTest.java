package dev.ferry.southbound.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFGroupType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFMetadata;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

/**
 * The OXM rules on single fields, below openflowj's own Match builder (which already folds
 * all-ones and all-zero masks when it builds a match list, but not when handed a single OXM).
 */
class CanonicalFormTest {
  private static final OFFactory F = OFFactories.getFactory(OFVersion.OF_13);

  @Test
  void anAllOnesMaskedOxmReadsAsTheExactOne() {
    assertEquals(CanonicalForm.oxm(F.oxms().metadata(OFMetadata.of(U64.of(5)))),
        CanonicalForm.oxm(F.oxms().metadataMasked(OFMetadata.of(U64.of(5)),
            OFMetadata.of(U64.NO_MASK))));
  }

  @Test
  void anAllZeroMaskedOxmMatchesEverythingAndDisappears() {
    assertNull(CanonicalForm.oxm(F.oxms().ipv4DstMasked(IPv4Address.of("10.0.0.1"),
        IPv4Address.NONE)));
  }

  @Test
  void namesAndHexMakeKeysReadableInLogs() {
    assertEquals("metadata=0000000000000005/00000000ffffffff",
        CanonicalForm.oxm(F.oxms().metadataMasked(OFMetadata.of(U64.of(0x1_0000_0005L)),
            OFMetadata.of(U64.of(0xFFFF_FFFFL)))));
  }

  @Test
  void bucketWeightCountsOnlyInSelectGroups() {
    var heavy = F.buildBucket().setWeight(7).setWatchPort(OFPort.ANY).setWatchGroup(OFGroup.ANY)
        .setActions(List.of(F.actions().output(OFPort.of(1), 0))).build();
    var light = F.buildBucket().setWeight(0).setWatchPort(OFPort.ANY).setWatchGroup(OFGroup.ANY)
        .setActions(List.of(F.actions().output(OFPort.of(1), 0))).build();
    assertEquals(CanonicalForm.buckets(OFGroupType.ALL, List.of(heavy)),
        CanonicalForm.buckets(OFGroupType.ALL, List.of(light)));
    org.junit.jupiter.api.Assertions.assertNotEquals(
        CanonicalForm.buckets(OFGroupType.SELECT, List.of(heavy)),
        CanonicalForm.buckets(OFGroupType.SELECT, List.of(light)));
  }
}
