package dev.ferry.southbound.flow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/** Meters to add, rewrite and delete. Pure. Only meters {@code owned} accepts are deleted. */
public record MeterDiff(List<MeterEntry> add, List<MeterEntry> modify, List<MeterEntry> delete) {

  public static MeterDiff between(
      Collection<MeterEntry> desired, Collection<MeterEntry> actual, LongPredicate owned) {
    Map<Long, MeterEntry> wanted = new LinkedHashMap<>();
    desired.forEach(m -> wanted.put(m.meterId(), m));
    List<MeterEntry> modify = new ArrayList<>();
    List<MeterEntry> delete = new ArrayList<>();
    for (MeterEntry present : actual) {
      MeterEntry want = wanted.remove(present.meterId());
      if (want == null) {
        if (owned.test(present.meterId())) {
          delete.add(present);
        }
      } else if (!want.equals(present)) {
        modify.add(want);
      }
    }
    return new MeterDiff(List.copyOf(wanted.values()), List.copyOf(modify), List.copyOf(delete));
  }

  public boolean isEmpty() {
    return add.isEmpty() && modify.isEmpty() && delete.isEmpty();
  }
}
