package dev.ferry.southbound.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The incremental diff over {@link FlowIndex} gives what the map-based diff (its reference,
 * the code before it) gives, for random desired and known lists over a small universe of keys:
 * shared and rebuilt-but-equal instances, changed contents and cookies, repeated keys on either
 * side; and an update's installed state is the desired one in shared instances.
 */
class FlowIndexTest {
  private static final OFFactory F = OFFactories.getFactory(OFVersion.OF_13);

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19})
  void theIndexedDiffIsTheMapDiff(int seed) {
    Random r = new Random(seed);
    for (int round = 0; round < 50; round++) {
      List<FlowEntry> known = new ArrayList<>();
      List<FlowEntry> desired = new ArrayList<>();
      int size = r.nextInt(40);
      for (int i = 0; i < size; i++) {
        FlowEntry f = SharedFlows.flow(random(r));
        known.add(f);
        switch (r.nextInt(5)) {
          case 0 -> desired.add(f); // the same instance
          case 1 -> desired.add(copy(f)); // equal, rebuilt
          case 2 -> desired.add(random(r)); // anything
          default -> { }
        }
      }
      for (int i = r.nextInt(10); i > 0; i--) {
        desired.add(r.nextInt(desired.size() + 1), random(r));
      }
      java.util.Collections.shuffle(known, r);
      String where = "seed " + seed + " round " + round;
      Map<FlowEntry, FlowEntry> held = new IdentityHashMap<>();
      FlowDiff got = FlowDiff.betweenDesired(desired, known, held);
      FlowDiff want = FlowDiff.betweenDesiredByMap(desired, known, null);
      assertEquals(new HashSet<>(want.add()), new HashSet<>(got.add()), where);
      assertEquals(want.add().size(), got.add().size(), where);
      assertEquals(new HashSet<>(want.modify()), new HashSet<>(got.modify()), where);
      assertEquals(want.delete(), got.delete(), where);
      assertEquals(want.unchanged(), got.unchanged(), where);
      boolean distinct = FlowIndex.distinct(desired);
      assertEquals(desired.stream().map(FlowEntry::key).distinct().count() == desired.size(),
          distinct, where);
      if (distinct) {
        for (FlowEntry f : desired) {
          FlowEntry holds = held.getOrDefault(f, f);
          assertEquals(f, holds, where);
          assertSame(SharedFlows.flow(f), holds, where + ": held as the shared instance");
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2})
  void anUpdateInstallsTheDesiredStateInSharedInstances(int seed) {
    Random r = new Random(seed);
    Map<FlowEntry.Key, FlowEntry> byKey = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 30; i++) {
      FlowEntry f = SharedFlows.flow(random(r));
      byKey.putIfAbsent(f.key(), f);
    }
    List<FlowEntry> installed = List.copyOf(byKey.values());
    List<FlowEntry> desired = new ArrayList<>(installed.subList(0, installed.size() / 2));
    installed.subList(installed.size() / 2, installed.size()).forEach(f -> desired.add(copy(f)));
    DesiredState before = new DesiredState(installed, List.of(), List.of());
    DesiredState after = new DesiredState(List.copyOf(desired), List.of(), List.of());
    FlowReconciler.Update u = FlowReconciler.planUpdate(before, after, g -> true, m -> true);
    assertTrue(u.flows().isEmpty(), "equal flows are unchanged");
    assertEquals(after, u.installed());
    for (int i = 0; i < desired.size(); i++) {
      assertSame(installed.get(i), u.installed().flows().get(i), "the installed instance is kept");
    }
    assertFalse(u.installed().flows().get(desired.size() - 1) == desired.get(desired.size() - 1));
  }

  /** A flow over a few priorities, ports and actions: keys repeat, contents differ. */
  private static FlowEntry random(Random r) {
    return new FlowEntry(r.nextInt(2), r.nextInt(3),
        F.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(1 + r.nextInt(4))).build(),
        List.of(F.instructions().applyActions(List.of(F.actions().output(OFPort.of(1 + r.nextInt(2)), 0)))),
        FerryCookie.of(1, r.nextInt(2)));
  }

  private static FlowEntry copy(FlowEntry f) {
    return new FlowEntry(f.tableId(), f.priority(),
        F.buildMatch().setExact(MatchField.IN_PORT, f.match().get(MatchField.IN_PORT)).build(),
        new ArrayList<>(f.instructions()), f.cookie());
  }
}
