package dev.ferry.controller.cluster;

import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * When mastership moves to even the load (pure, no etcd): a node asks for a switch when it can
 * reach it and its master masters at least two switches more than the asker; the master hands
 * it over under the same condition. Each move narrows the gap by two, so moves stop once no
 * node masters more than one switch more than another (a joining node takes its share, and
 * nobody moves a switch back and forth).
 */
final class Rebalance {
  private Rebalance() {}

  /** Switches mastered per live node (nodes with none count 0; holders that left do not count). */
  static Map<String, Integer> load(Set<String> nodes, Map<Long, String> holders) {
    Map<String, Integer> load = new TreeMap<>();
    nodes.forEach(n -> load.put(n, 0));
    holders.values().forEach(n -> load.computeIfPresent(n, (k, v) -> v + 1));
    return load;
  }

  /** Whether a master with {@code holderLoad} switches hands one to a node with {@code askerLoad}. */
  static boolean handOver(int holderLoad, int askerLoad) {
    return holderLoad > askerLoad + 1;
  }

  /**
   * The switch {@code self} should ask for, or null: among the reachable switches mastered by
   * others that {@link #handOver} allows, one of the most loaded node's (the lowest dpid, so every
   * evaluation asks for the same one).
   */
  static Long toAskFor(String self, Map<String, Integer> load, Map<Long, String> holders, Set<Long> reachable) {
    int mine = load.getOrDefault(self, 0);
    return holders.entrySet().stream()
        .filter(e -> reachable.contains(e.getKey()) && !e.getValue().equals(self) && load.containsKey(e.getValue()))
        .filter(e -> handOver(load.get(e.getValue()), mine))
        .min(Comparator.<Map.Entry<Long, String>>comparingInt(e -> -load.get(e.getValue()))
            .thenComparingLong(Map.Entry::getKey))
        .map(Map.Entry::getKey)
        .orElse(null);
  }
}
