package dev.ferry.controller.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RebalanceTest {

  @Test
  void aJoiningNodeAsksUntilNoNodeMastersTwoMoreThanAnother() {
    Map<Long, String> holders = new HashMap<>();
    for (long d = 1; d <= 5; d++) {
      holders.put(d, "a");
    }
    Set<String> nodes = new TreeSet<>(Set.of("a", "b", "c"));
    Set<Long> reachable = holders.keySet();
    int moves = 0;
    // Let b and c ask in turn, as their ticks would; the master hands over each time.
    for (int round = 0; round < 10; round++) {
      for (String asker : new String[] {"b", "c"}) {
        Map<String, Integer> load = Rebalance.load(nodes, holders);
        Long dpid = Rebalance.toAskFor(asker, load, holders, reachable);
        if (dpid != null) {
          String holder = holders.get(dpid);
          assertEquals(true, Rebalance.handOver(load.get(holder), load.get(asker)));
          holders.put(dpid, asker);
          moves++;
        }
      }
    }
    assertEquals(Map.of("a", 2, "b", 2, "c", 1), Rebalance.load(nodes, holders));
    assertEquals(3, moves, "each move narrows the gap; none goes back");
  }

  @Test
  void nobodyAsksForASwitchItCannotReachOrWhenTheGapIsOne() {
    Map<Long, String> holders = Map.of(1L, "a", 2L, "a", 3L, "b");
    Set<String> nodes = Set.of("a", "b");
    assertNull(Rebalance.toAskFor("b", Rebalance.load(nodes, holders), holders, Set.of(1L, 2L, 3L)));
    Map<Long, String> three = Map.of(1L, "a", 2L, "a", 3L, "a");
    assertNull(Rebalance.toAskFor("b", Rebalance.load(nodes, three), three, Set.of()));
    assertEquals(1L, Rebalance.toAskFor("b", Rebalance.load(nodes, three), three, Set.of(1L, 3L)));
  }

  @Test
  void aHolderThatLeftCountsForNobody() {
    Map<Long, String> holders = Map.of(1L, "gone", 2L, "a");
    assertEquals(Map.of("a", 1, "b", 0), Rebalance.load(Set.of("a", "b"), holders));
  }
}
