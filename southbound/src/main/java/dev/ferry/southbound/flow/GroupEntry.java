package dev.ferry.southbound.flow;

import java.util.List;
import org.projectfloodlight.openflow.protocol.OFBucket;
import org.projectfloodlight.openflow.protocol.OFGroupType;

/** One desired group (e.g. a network's broadcast group: local ports plus remote hosts). */
public record GroupEntry(long groupId, OFGroupType type, List<OFBucket> buckets) {
  public GroupEntry {
    buckets = List.copyOf(buckets);
  }
}
