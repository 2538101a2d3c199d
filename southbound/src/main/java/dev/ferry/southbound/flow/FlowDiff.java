package dev.ferry.southbound.flow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What must change so a switch holding {@code actual} holds {@code desired}. Pure. Only Ferry's
 * flows (cookie under {@link FerryCookie#FERRY_MASK}) are ever considered on the actual side,
 * so a foreign flow can be neither modified nor deleted.
 *
 * @param add desired flows the switch lacks
 * @param modify flows present under the same key whose instructions or cookie differ
 * @param delete Ferry flows on the switch that nobody desires any more (as the switch reported)
 * @param unchanged how many desired flows the switch already holds exactly
 */
public record FlowDiff(
    List<FlowEntry> add, List<Change> modify, List<FlowEntry> delete, int unchanged) {

  /** One flow to rewrite in place: same key, new content. */
  public record Change(FlowEntry actual, FlowEntry desired) {
    /** A cookie change needs a replacing ADD: OpenFlow 1.3 MODIFY keeps the old cookie. */
    public boolean cookieChanged() {
      return actual.cookie() != desired.cookie();
    }
  }

  public static FlowDiff between(Collection<FlowEntry> desired, Collection<FlowEntry> actual) {
    Map<CanonicalKey, FlowEntry> wanted = index(desired);
    List<FlowEntry> delete = new ArrayList<>();
    List<Change> modify = new ArrayList<>();
    int unchanged = 0;
    for (FlowEntry present : actual) {
      if (!FerryCookie.isFerry(present.cookie())) {
        continue;
      }
      FlowEntry want = wanted.remove(CanonicalKey.of(present));
      if (want == null) {
        delete.add(present);
      } else if (sameContent(want, present)) {
        unchanged++;
      } else {
        modify.add(new Change(present, want));
      }
    }
    return new FlowDiff(List.copyOf(wanted.values()), List.copyOf(modify), List.copyOf(delete),
        unchanged);
  }

  /**
   * The difference between two desired states of one switch (what it was last brought to, and
   * what it should hold now). Both sides come from the compiler, so flows compare as built:
   * no canonical form is needed, which keeps a model change cheap on big tables.
   */
  public static FlowDiff betweenDesired(Collection<FlowEntry> desired, Collection<FlowEntry> known) {
    return betweenDesired(desired, known, null);
  }

  /**
   * {@link #betweenDesired}, and for each desired flow that is not the very instance the switch
   * was brought to, what the switch holds afterwards instead: the known instance for an equal
   * one, the shared instance for an added or changed one ({@code held}, filled by identity).
   * A desired flow absent from {@code held} is already the known (shared) instance.
   */
  static FlowDiff betweenDesired(Collection<FlowEntry> desired, Collection<FlowEntry> known,
      Map<FlowEntry, FlowEntry> held) {
    List<FlowEntry> want = desired instanceof List<FlowEntry> l && l instanceof java.util.RandomAccess
        ? l : new ArrayList<>(desired);
    FlowIndex index = FlowIndex.of(want);
    if (!index.distinct()) {
      return betweenDesiredByMap(desired, known, held); // two desired flows share a key
    }
    boolean[] found = new boolean[want.size()];
    List<FlowEntry> delete = new ArrayList<>();
    List<Change> modify = new ArrayList<>();
    int unchanged = 0;
    for (FlowEntry had : known) {
      int i = index.positionOf(had);
      if (i < 0 || found[i]) {
        delete.add(had);
        continue;
      }
      found[i] = true;
      FlowEntry w = want.get(i);
      if (w == had) {
        unchanged++; // the memo's instance: nothing to compare
      } else if (w.cookie() == had.cookie() && w.instructions().equals(had.instructions())) {
        unchanged++;
        if (held != null) {
          held.put(w, had);
        }
      } else {
        modify.add(new Change(had, w));
        share(w, held);
      }
    }
    List<FlowEntry> add = new ArrayList<>();
    for (int i = 0; i < found.length; i++) {
      if (!found[i]) {
        add.add(want.get(i));
        share(want.get(i), held);
      }
    }
    return new FlowDiff(List.copyOf(add), List.copyOf(modify), List.copyOf(delete), unchanged);
  }

  /** The same, for desired flows that share keys (the last of a key is the one wanted). */
  static FlowDiff betweenDesiredByMap(Collection<FlowEntry> desired,
      Collection<FlowEntry> known, Map<FlowEntry, FlowEntry> held) {
    Map<FlowEntry.Key, FlowEntry> wanted = new HashMap<>(desired.size() * 2);
    for (FlowEntry f : desired) {
      wanted.put(f.key(), f);
    }
    List<FlowEntry> delete = new ArrayList<>();
    List<Change> modify = new ArrayList<>();
    int unchanged = 0;
    for (FlowEntry had : known) {
      FlowEntry want = wanted.remove(had.key());
      if (want == null) {
        delete.add(had);
      } else if (want == had) {
        unchanged++; // the memo's instance: nothing to compare
      } else if (want.cookie() == had.cookie() && want.instructions().equals(had.instructions())) {
        unchanged++;
        if (held != null) {
          held.put(want, had);
        }
      } else {
        modify.add(new Change(had, want));
        share(want, held);
      }
    }
    if (held != null) {
      wanted.values().forEach(f -> share(f, held));
    }
    return new FlowDiff(List.copyOf(wanted.values()), List.copyOf(modify), List.copyOf(delete),
        unchanged);
  }

  private static void share(FlowEntry f, Map<FlowEntry, FlowEntry> held) {
    if (held != null) {
      FlowEntry shared = SharedFlows.flow(f);
      if (shared != f) {
        held.put(f, shared);
      }
    }
  }

  public boolean isEmpty() {
    return add.isEmpty() && modify.isEmpty() && delete.isEmpty();
  }

  /** Equal instruction lists are one shared instance (SharedFlows), so most pairs stop early. */
  static boolean sameContent(FlowEntry a, FlowEntry b) {
    return a.cookie() == b.cookie()
        && (a.instructions() == b.instructions()
            || CanonicalForm.instructions(a.instructions())
            .equals(CanonicalForm.instructions(b.instructions())));
  }

  private static Map<CanonicalKey, FlowEntry> index(Collection<FlowEntry> desired) {
    Map<CanonicalKey, FlowEntry> byKey = new HashMap<>(desired.size() * 2);
    for (FlowEntry flow : desired) {
      if (!FerryCookie.isFerry(flow.cookie())) {
        throw new IllegalArgumentException("desired flow without a Ferry cookie: " + flow);
      }
      FlowEntry clash = byKey.put(CanonicalKey.of(flow), flow);
      if (clash != null) {
        throw new IllegalArgumentException(
            "two desired flows share " + CanonicalKey.of(flow) + ": " + clash + " and " + flow);
      }
    }
    return byKey;
  }
}
