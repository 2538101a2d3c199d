package dev.ferry.apps.compile;

import dev.ferry.southbound.flow.FlowEntry;
import dev.ferry.southbound.flow.GroupEntry;
import dev.ferry.southbound.flow.SharedFlows;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The memo of one host's compile: the last fragment (a few flows or groups) each part of the
 * compile produced, with the inputs it was produced from. A fragment whose inputs are equal
 * to last time is handed back as the same instances, so an unchanged network costs a key
 * comparison instead of building its flows again, and the reconciler, which remembers the
 * flow instances it installed, finds them unchanged by identity.
 *
 * <p>Compile stays a pure function: a fragment is a function of its key alone (the key holds
 * every input the fragment reads: the network record, its ports, the host's bound ports of it,
 * ...), so a hit returns exactly what computing would. {@link #NONE} memoizes nothing: the
 * reference (full) compile.
 *
 * <p>Not thread-safe: one memo belongs to one switch's reconcile worker (see
 * docs/architecture.md) and is used by one compile at a time. It holds one entry per fragment
 * of the host's last compile: {@link #endCompile} drops fragments that compile did not use.
 */
public final class CompileMemo {
  /** Memoizes nothing: every fragment is computed (the full compile). */
  public static final CompileMemo NONE = new CompileMemo(false);

  private record Slot(String kind, Object id) {}

  private record Entry(Object key, Object value, long usedIn) {}

  private final boolean enabled;
  private final Map<Slot, Entry> entries = new HashMap<>();
  private long compile;
  private long hits;
  private long misses;

  private CompileMemo(boolean enabled) {
    this.enabled = enabled;
  }

  public static CompileMemo create() {
    return new CompileMemo(true);
  }

  /**
   * The fragment {@code kind} of {@code id} (a network or port id) for these inputs: the
   * remembered one when its key equals {@code key}, else {@code compute}'s (remembered).
   */
  @SuppressWarnings("unchecked")
  <V> V get(String kind, Object id, Object key, Supplier<V> compute) {
    if (!enabled) {
      return compute.get();
    }
    // A slot without a cheaper step: a miss computes the fragment afresh, shared.
    return update(kind, id, key, k -> (V) shared(compute.get()),
        (previousKey, previous, k) -> (V) shared(compute.get()));
  }

  /** Builds a slot's new value from its previous inputs and value instead of from nothing. */
  @FunctionalInterface
  interface Step<K, V> {
    /** Must equal {@code compute(key)}, given {@code previous == compute(previousKey)}. */
    V next(K previousKey, V previous, K key);
  }

  /**
   * Like {@link #get}, for a fragment that is cheaper to update than to build (a big one of
   * which a change touches a few flows): a miss with a previous value of the slot hands it to
   * {@code step}, which makes the new value from it. {@code compute}'s and {@code step}'s
   * flows must already be {@link #share shared}. Without a memo, {@code compute}.
   */
  @SuppressWarnings("unchecked")
  <K, V> V update(String kind, Object id, K key, java.util.function.Function<K, V> compute,
      Step<K, V> step) {
    if (!enabled) {
      return compute.apply(key);
    }
    Slot slot = new Slot(kind, id);
    Entry e = entries.get(slot);
    if (e != null && e.key().equals(key)) {
      hits++;
      if (e.usedIn() != compile) {
        entries.put(slot, new Entry(e.key(), e.value(), compile));
      }
      return (V) e.value();
    }
    misses++;
    V value = e == null ? compute.apply(key) : step.next((K) e.key(), (V) e.value(), key);
    entries.put(slot, new Entry(key, value, compile));
    return value;
  }

  /** The instance of this flow every switch's remembered state shares. */
  static FlowEntry share(FlowEntry flow) {
    return SharedFlows.flow(flow);
  }

  /**
   * A fragment's flows and groups as the instances every switch's remembered state shares
   * (hosts of one network build many equal fragments; a memo per switch must not copy them).
   */
  private static Object shared(Object value) {
    if (value instanceof FlowEntry f) {
      return SharedFlows.flow(f);
    }
    if (value instanceof GroupEntry g) {
      return SharedFlows.group(g);
    }
    if (value instanceof List<?> items) {
      return items.stream().map(CompileMemo::shared).toList();
    }
    return value;
  }

  /** Starts one compile (fragments it does not ask for are dropped by {@link #endCompile}). */
  void beginCompile() {
    if (enabled) {
      compile++;
    }
  }

  void endCompile() {
    if (enabled) {
      entries.values().removeIf(e -> e.usedIn() != compile);
    }
  }

  /** Fragments reused / computed since this memo was made (for benchmarks and tests). */
  public long hits() {
    return hits;
  }

  public long misses() {
    return misses;
  }

  public int size() {
    return entries.size();
  }

  /** Forgets every fragment (its switch is gone: the next compile starts from nothing). */
  public void clear() {
    entries.clear();
  }
}
