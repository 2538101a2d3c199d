package dev.ferry.apps.model;

import java.util.List;
import java.util.Objects;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

/**
 * A persistent multimap: key -> the values filed under it, ordered by their id. Adding or
 * removing one value costs O(log n) and shares every other group with the previous version,
 * so a snapshot's index follows a change without being rebuilt. When several values share a
 * key (which the store's rules forbid for addresses and interfaces, but a hand-built model
 * may contain), the one with the smallest id is "the" value: a rule that does not depend on
 * the order changes arrived in.
 */
final class Grouping<K, V> {
  private static final Grouping<?, ?> EMPTY = new Grouping<>(HashTreePMap.empty());

  private final PMap<K, Group<V>> groups;

  private Grouping(PMap<K, Group<V>> groups) {
    this.groups = groups;
  }

  @SuppressWarnings("unchecked")
  static <K, V> Grouping<K, V> empty() {
    return (Grouping<K, V>) EMPTY;
  }

  Grouping<K, V> plus(K key, String id, V value) {
    if (key == null) {
      return this;
    }
    Group<V> g = groups.get(key);
    PSortedMap<String, V> members = g == null ? TreePMap.empty() : g.members;
    return new Grouping<>(groups.plus(key, new Group<>(members.plus(id, value))));
  }

  Grouping<K, V> minus(K key, String id) {
    Group<V> g = key == null ? null : groups.get(key);
    if (g == null || !g.members.containsKey(id)) {
      return this;
    }
    PSortedMap<String, V> rest = g.members.minus(id);
    return new Grouping<>(rest.isEmpty() ? groups.minus(key) : groups.plus(key, new Group<>(rest)));
  }

  /** Every value filed under the key, by id (an immutable list, built once per group version). */
  List<V> all(K key) {
    Group<V> g = groups.get(key);
    return g == null ? List.of() : g.list();
  }

  /** The value with the smallest id filed under the key, or null. */
  V first(K key) {
    Group<V> g = groups.get(key);
    return g == null ? null : g.members.firstEntry().getValue();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Grouping<?, ?> other && groups.equals(other.groups);
  }

  @Override
  public int hashCode() {
    return groups.hashCode();
  }

  @Override
  public String toString() {
    return groups.toString();
  }

  /** One key's values; its list view is made on first use and shared while the group is. */
  private static final class Group<V> {
    final PSortedMap<String, V> members;
    private volatile List<V> list; // immutable once set; a race only builds it twice

    Group(PSortedMap<String, V> members) {
      this.members = members;
    }

    List<V> list() {
      List<V> l = list;
      if (l == null) {
        l = List.copyOf(members.values());
        list = l;
      }
      return l;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Group<?> other && members.equals(other.members);
    }

    @Override
    public int hashCode() {
      return Objects.hashCode(members);
    }

    @Override
    public String toString() {
      return members.toString();
    }
  }
}
