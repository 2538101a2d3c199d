package dev.ferry.southbound.flow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * Groups to add, rewrite and delete. Pure. Only groups whose id {@code owned} accepts are
 * deleted (OVS removes every flow that points at a deleted group).
 */
public record GroupDiff(List<GroupEntry> add, List<GroupEntry> modify, List<GroupEntry> delete) {

  public static GroupDiff between(
      Collection<GroupEntry> desired, Collection<GroupEntry> actual, LongPredicate owned) {
    Map<Long, GroupEntry> wanted = new LinkedHashMap<>();
    desired.forEach(g -> wanted.put(g.groupId(), g));
    List<GroupEntry> modify = new ArrayList<>();
    List<GroupEntry> delete = new ArrayList<>();
    for (GroupEntry present : actual) {
      GroupEntry want = wanted.remove(present.groupId());
      if (want == null) {
        if (owned.test(present.groupId())) {
          delete.add(present);
        }
      } else if (want != present && !canonical(want).equals(canonical(present))) {
        // (the very instance installed, a compile memo's, is unchanged without its canonical text)
        modify.add(want);
      }
    }
    return new GroupDiff(List.copyOf(wanted.values()), List.copyOf(modify), List.copyOf(delete));
  }

  public boolean isEmpty() {
    return add.isEmpty() && modify.isEmpty() && delete.isEmpty();
  }

  private static String canonical(GroupEntry group) {
    return CanonicalForm.buckets(group.type(), group.buckets());
  }
}
