package dev.ferry.controller.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.apps.model.FloatingIp;
import dev.ferry.apps.model.Port;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * What both stores share: reads from the in-memory {@link ModelCache}, and one generic
 * create/update/delete per {@link Resource} that validates with {@link ModelRules} and turns the
 * request into a {@link WritePlan}. A store supplies only {@link #write}: how a plan, made
 * against its cache under its writer's lock, commits (SQLite: a group-committed transaction;
 * etcd: one guarded transaction).
 */
abstract class CachedStore implements Store {

  private static final Logger LOG = LogManager.getLogger(CachedStore.class);
  static final ObjectMapper JSON = new ObjectMapper();

  final ModelCache cache = new ModelCache();
  final ModelRules rules = new ModelRules(cache);
  private final List<Consumer<ModelEvent>> listeners = new CopyOnWriteArrayList<>();
  private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "ferry-model-events");
    t.setDaemon(true);
    return t;
  });

  /**
   * Calls {@code planner} against the cache under the store's writer lock (it throws a
   * {@link Rejection} to refuse), commits its changes durably and applies them to the cache;
   * returns the plan's result once committed.
   */
  abstract <R> R write(Supplier<WritePlan<R>> planner);

  // ---- reads

  @Override
  public <T> List<T> list(Resource<T> kind) {
    return List.copyOf(kind.map(cache).values());
  }

  @Override
  public <T> Optional<T> get(Resource<T> kind, String id) {
    return Optional.ofNullable(id == null ? null : kind.map(cache).get(id));
  }

  @Override
  public List<Port> portsOfNetwork(String networkId) {
    return cache.ports.values().stream().filter(p -> p.networkId().equals(networkId)).toList();
  }

  @Override
  public Optional<ExternalPool> poolOf(String ip) {
    return Ipv4.isValid(ip) ? Optional.ofNullable(cache.poolOf(Ipv4.parse(ip, "ip"))) : Optional.empty();
  }

  @Override
  public long version() {
    return cache.version();
  }

  @Override
  public Optional<String> tenantOfToken(String token) {
    return Optional.ofNullable(cache.tenantOfTokenHash.get(TokenHash.sha256(token)));
  }

  @Override
  public Optional<String> hostOfToken(String token) {
    return Optional.ofNullable(cache.hostOfTokenHash.get(TokenHash.sha256(token)));
  }

  @Override
  public Map<String, String> tokenHashes() {
    return Map.copyOf(cache.tenantOfTokenHash);
  }

  // ---- the generic writes

  @Override
  public <T> T create(Resource<T> kind, T record) {
    return create(kind, record, kind.rule);
  }

  final <T> T create(Resource<T> kind, T record, Resource.Rule<T> rule) {
    return write(() -> {
      T t = rule.check(rules, record, null);
      List<Change<?>> changes = kind.creation(t);
      return new WritePlan<>(t, changes, changes.get(0), false);
    });
  }

  @Override
  public <T> T update(Resource<T> kind, T record, Long ifMatch) {
    return update(kind, record, ifMatch, kind.rule);
  }

  final <T> T update(Resource<T> kind, T record, Long ifMatch, Resource.Rule<T> rule) {
    return write(() -> {
      T old = existing(kind, kind.id.apply(record));
      ModelRules.checkRevision(kind.revision.applyAsLong(old), ifMatch);
      T t = rule.check(rules, record, old);
      Change<T> c = new Change<>(kind, kind.id.apply(old), old, t);
      return new WritePlan<>(t, List.of(c), c, false);
    });
  }

  @Override
  public boolean delete(Resource<?> kind, String id, Long ifMatch) {
    return deleteOf(kind, id, ifMatch);
  }

  private <T> boolean deleteOf(Resource<T> kind, String id, Long ifMatch) {
    return write(() -> {
      T old = id == null ? null : kind.map(cache).get(id);
      if (old == null) {
        return WritePlan.nothing(false);
      }
      ModelRules.checkRevision(kind.revision.applyAsLong(old), ifMatch);
      kind.deleteCheck.accept(rules, old);
      List<Change<?>> changes = kind.deletion(cache, old);
      return new WritePlan<>(true, changes, changes.get(changes.size() - 1), false);
    });
  }

  @Override
  public FloatingIp createFloatingIp(FloatingIp floatingIp, String pool) {
    return create(Resource.FLOATING_IPS, floatingIp, (r, f, old) -> r.floatingIp(f, pool, old));
  }

  @Override
  public FloatingIp updateFloatingIp(FloatingIp floatingIp, String pool, Long ifMatch) {
    return update(Resource.FLOATING_IPS, floatingIp, ifMatch, (r, f, old) -> r.floatingIp(f, pool, old));
  }

  /**
   * Each item is checked with the ones before it put into the cache for the check only
   * (allocation sees them), then taken out again: the store's commit applies them.
   */
  @Override
  public List<Port> createPorts(List<Port> ports) {
    return write(() -> {
      List<Port> created = new ArrayList<>();
      List<BatchRejection.Failure> failures = new ArrayList<>();
      boolean refusedBefore = false;
      try {
        for (int i = 0; i < ports.size(); i++) {
          if (ports.get(i) == null) {
            refusedBefore = true;
            continue;
          }
          try {
            Port p = rules.port(ports.get(i), null);
            cache.putPort(p);
            created.add(p);
          } catch (Rejection r) {
            failures.add(new BatchRejection.Failure(i, r));
          }
        }
      } finally {
        for (int i = created.size() - 1; i >= 0; i--) {
          cache.removePort(created.get(i));
        }
      }
      if (!failures.isEmpty() || refusedBefore) {
        throw new BatchRejection(ports.size(), failures);
      }
      if (created.isEmpty()) {
        return WritePlan.nothing(List.<Port>of());
      }
      List<Change<?>> changes = new ArrayList<>();
      created.forEach(p -> changes.add(new Change<>(Resource.PORTS, p.id(), null, p)));
      return new WritePlan<>(List.copyOf(created), changes, changes.get(changes.size() - 1), true);
    });
  }

  final <T> T existing(Resource<T> kind, String id) {
    T t = id == null ? null : kind.map(cache).get(id);
    if (t == null) {
      throw Rejection.notFound(kind.noun, id);
    }
    return t;
  }

  // ---- events

  @Override
  public void subscribe(Consumer<ModelEvent> listener) {
    listeners.add(listener);
  }

  /** Hands an event to the listeners, on the dispatch thread, in the order called. */
  final void publish(ModelEvent event) {
    dispatcher.execute(() -> {
      for (Consumer<ModelEvent> l : listeners) {
        try {
          l.accept(event);
        } catch (RuntimeException e) {
          LOG.error("model event listener failed on {} {}", event.kind(), event.id(), e);
        }
      }
    });
  }

  /** Lets the events already published reach their listeners (on close). */
  final void drainEvents() {
    dispatcher.shutdown();
    try {
      dispatcher.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String json(Object record) {
    try {
      return JSON.writeValueAsString(record);
    } catch (Exception e) {
      throw new IllegalStateException("cannot serialize " + record, e);
    }
  }
}
