package dev.ferry.tests.harness;

import java.util.List;
import java.util.TreeMap;
import org.projectfloodlight.openflow.protocol.OFGroupDescStatsEntry;
import org.projectfloodlight.openflow.protocol.OFGroupMod;
import org.projectfloodlight.openflow.types.OFGroup;

/** Groups one emulated OF1.3 switch holds, as group-mods leave them. */
public final class GroupTable {
  private final TreeMap<Integer, OFGroupDescStatsEntry> groups = new TreeMap<>();

  public int size() { return groups.size(); }

  public List<OFGroupDescStatsEntry> groups() { return List.copyOf(groups.values()); }

  public void apply(OFGroupMod mod) {
    int id = mod.getGroup().getGroupNumber();
    switch (mod.getCommand()) {
      case ADD, MODIFY -> groups.put(id, describe(mod));
      case DELETE -> {
        if (mod.getGroup().equals(OFGroup.ALL)) {
          groups.clear();
        } else {
          groups.remove(id);
        }
      }
      default -> throw new IllegalArgumentException("unsupported group-mod " + mod.getCommand());
    }
  }

  private static OFGroupDescStatsEntry describe(OFGroupMod mod) {
    return org.projectfloodlight.openflow.protocol.OFFactories.getFactory(mod.getVersion())
        .buildGroupDescStatsEntry()
        .setGroup(mod.getGroup())
        .setGroupType(mod.getGroupType())
        .setBuckets(mod.getBuckets())
        .build();
  }
}
