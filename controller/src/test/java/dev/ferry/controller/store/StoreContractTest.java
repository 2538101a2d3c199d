package dev.ferry.controller.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.apps.model.FloatingIp;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.model.SecurityGroup;
import dev.ferry.apps.model.SecurityGroupRule;
import dev.ferry.apps.model.Tenant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Store} backend promises, run against each (subclasses say how to open one):
 * validation, events in commit order carrying growing versions, persistence across a reopen,
 * If-Match, and race-free allocation from concurrent writers, on two nodes where the backend
 * has nodes.
 */
abstract class StoreContractTest {

  private final List<Store> open = new ArrayList<>();

  /** Opens the store under test (the same data on every call of one test). */
  protected abstract Store openStore();

  /** A second writer on the same data: another node for a clustered store, else the same store. */
  protected abstract Store peer(Store store);

  protected final Store store() {
    Store s = openStore();
    open.add(s);
    return s;
  }

  protected final Store track(Store s) {
    if (!open.contains(s)) {
      open.add(s);
    }
    return s;
  }

  @AfterEach
  void closeStores() {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  static Network net(String id, String tenant, String cidr) {
    return new Network(id, tenant, "n", 0, cidr, null, true, 1450, null, null, 0);
  }

  static Port port(String network) {
    return new Port(null, network, null, null, null, null, null, true, 0);
  }

  @Test
  void eventsFollowCommitsInOrderWithOldNewAndGrowingVersions() throws Exception {
    Store store = store();
    List<ModelEvent> events = new CopyOnWriteArrayList<>();
    // The tenant's default security group comes in the tenant's own commit (etcd reports its
    // keys as events of that revision too): this test follows the objects it writes.
    store.subscribe(e -> {
      if (e.kind() != ModelEvent.Kind.SECURITY_GROUP && e.kind() != ModelEvent.Kind.SECURITY_GROUP_RULE) {
        events.add(e);
      }
    });
    Tenant t = store.create(Resource.TENANTS, new Tenant("t", "T", 0));
    Network n = store.create(Resource.NETWORKS, net(null, "t", "10.0.0.0/24"));
    Port p = store.create(Resource.PORTS, port(n.id()));
    Port p2 = store.update(Resource.PORTS, new Port(p.id(), n.id(), "named", null, null, null, null, true, 0), 1L);
    assertThrows(Rejection.class, () -> store.create(Resource.PORTS, new Port(null, n.id(), null, null, p.ip(), null, null, true, 0)));
    long beforeDelete = store.version();
    store.delete(Resource.PORTS, p.id(), null);
    waitFor(() -> events.size() == 5);
    assertEquals(List.of(
        new ModelEvent(ModelEvent.Kind.TENANT, "t", null, t, events.get(0).version()),
        new ModelEvent(ModelEvent.Kind.NETWORK, n.id(), null, n, events.get(1).version()),
        new ModelEvent(ModelEvent.Kind.PORT, p.id(), null, p, events.get(2).version()),
        new ModelEvent(ModelEvent.Kind.PORT, p.id(), p, p2, events.get(3).version()),
        new ModelEvent(ModelEvent.Kind.PORT, p.id(), p2, null, events.get(4).version())), events);
    for (int i = 1; i < events.size(); i++) {
      assertTrue(events.get(i).version() > events.get(i - 1).version(), "versions grow: " + events);
    }
    // The rejected create took no version; the delete's version is the store's and the snapshot's.
    assertEquals(beforeDelete, events.get(3).version());
    assertEquals(events.get(4).version(), store.version());
    assertEquals(store.version(), store.snapshot().version());
    assertEquals(2, p2.revision());
    assertNull(store.snapshot().ports().get(p.id()));
  }

  @Test
  void aTenantCommitReportsEveryObjectItWritesWithOneVersion() throws Exception {
    Store store = store();
    List<ModelEvent> events = new CopyOnWriteArrayList<>();
    store.subscribe(events::add);
    Tenant t = store.create(Resource.TENANTS, new Tenant("t", "T", 0));
    SecurityGroup g = Model.defaultGroup("t");
    List<SecurityGroupRule> rules = Model.defaultRules("t");
    long created = store.version();
    List<ModelEvent> expected = new ArrayList<>();
    expected.add(new ModelEvent(ModelEvent.Kind.TENANT, "t", null, t, created));
    expected.add(new ModelEvent(ModelEvent.Kind.SECURITY_GROUP, g.id(), null, g, created));
    rules.forEach(r -> expected.add(new ModelEvent(ModelEvent.Kind.SECURITY_GROUP_RULE, r.id(), null, r, created)));
    assertTrue(store.delete(Resource.TENANTS, "t", null));
    long deleted = store.version();
    rules.forEach(r -> expected.add(new ModelEvent(ModelEvent.Kind.SECURITY_GROUP_RULE, r.id(), r, null, deleted)));
    expected.add(new ModelEvent(ModelEvent.Kind.SECURITY_GROUP, g.id(), g, null, deleted));
    expected.add(new ModelEvent(ModelEvent.Kind.TENANT, "t", t, null, deleted));
    waitFor(() -> events.size() >= expected.size());
    assertEquals(expected, events);
  }

  @Test
  void aBatchCreatesAllItsPortsOrNone() throws Exception {
    Store store = store();
    store.create(Resource.TENANTS, new Tenant("t", "T", 0));
    Network n = store.create(Resource.NETWORKS, net(null, "t", "10.0.0.0/24"));
    List<Port> done = store.createPorts(List.of(port(n.id()), port(n.id()), port(n.id())));
    assertEquals(3, done.size());
    assertEquals(3, done.stream().map(Port::ip).distinct().count(), "each item's allocation saw the ones before");
    waitFor(() -> store.snapshot().ports().size() == 3);
    Model before = store.snapshot();
    long v = store.version();
    Port taken = new Port(null, n.id(), null, null, done.get(0).ip(), null, null, true, 0);
    BatchRejection refused = assertThrows(BatchRejection.class,
        () -> store.createPorts(List.of(port(n.id()), taken)));
    assertEquals(1, refused.failures().size());
    assertEquals(1, refused.failures().get(0).index());
    assertEquals(before, store.snapshot(), "nothing written");
    assertEquals(v, store.version());
  }

  @Test
  void aTokenTakesNoVersionAndRejectionsChangeNothing() {
    Store store = store();
    assertEquals(0, store.version());
    store.create(Resource.TENANTS, new Tenant("t", "T", 0));
    long v = store.version();
    assertTrue(v > 0);
    String token = store.issueToken("t");
    assertEquals("t", store.tenantOfToken(token).orElseThrow());
    assertEquals(v, store.version());
    Model before = store.snapshot();
    Rejection taken = assertThrows(Rejection.class, () -> store.create(Resource.TENANTS, new Tenant("t", "again", 0)));
    assertEquals("id_taken", taken.code());
    Rejection stale = assertThrows(Rejection.class, () -> store.update(Resource.TENANTS, new Tenant("t", "T2", 0), 7L));
    assertEquals(Rejection.Reason.STALE, stale.reason());
    assertEquals(Rejection.Reason.NOT_FOUND,
        assertThrows(Rejection.class, () -> store.issueToken("nobody")).reason());
    assertEquals(before, store.snapshot());
    assertEquals(v, store.version());
    store.update(Resource.TENANTS, new Tenant("t", "T2", 0), 1L);
    assertTrue(store.version() > v);
    assertTrue(store.delete(Resource.TENANTS, "t", 2L));
    assertTrue(store.tenantOfToken(token).isEmpty(), "a deleted tenant's tokens go with it");
    assertEquals(false, store.delete(Resource.TENANTS, "t", null));
  }

  @Test
  void reopenRestoresTheModelTokensAndVersion() {
    String token;
    Model before;
    try (Store store = openStore()) {
      store.create(Resource.TENANTS, new Tenant("t", "T", 0));
      store.create(Resource.HOSTS, new Host("h1", 1, "192.0.2.1", null, 0));
      Network n = store.create(Resource.NETWORKS, new Network(null, "t", "n", 0, "10.0.0.0/24", null, true, 1450,
          List.of("9.9.9.9"), "h1", 0));
      Port p = store.create(Resource.PORTS, new Port(null, n.id(), "p", null, null, "h1", "veth1", true, 0));
      store.create(Resource.POOLS, new ExternalPool("public", "203.0.113.0/24", List.of(new ExternalPool.Range("203.0.113.5", "203.0.113.20")), 0));
      store.createFloatingIp(new FloatingIp(null, null, "203.0.113.7", p.id(), 0), "public");
      token = store.issueToken("t");
      before = store.snapshot();
    }
    Store store = store();
    assertEquals(before, store.snapshot());
    assertEquals(before.version(), store.version());
    assertEquals("t", store.tenantOfToken(token).orElseThrow());
    // The next allocation still avoids the address restored.
    Port next = store.create(Resource.PORTS, port(store.list(Resource.NETWORKS).get(0).id()));
    assertEquals("10.0.0.3", next.ip());
    assertTrue(store.version() > before.version());
  }

  @Test
  void allowedAddressPairsAreStoredAndSurviveAReopen() {
    Port before;
    try (Store store = openStore()) {
      store.create(Resource.TENANTS, new Tenant("t", "T", 0));
      Network n = store.create(Resource.NETWORKS, net(null, "t", "10.0.0.0/24"));
      before = store.create(Resource.PORTS, new Port(null, n.id(), "p", "02:00:00:00:00:05", null, null, null, true, null,
          List.of(new dev.ferry.apps.model.AddressPair("10.0.0.50/32", null),
              new dev.ferry.apps.model.AddressPair("10.0.0.64/28", "02:00:5E:00:01:07")), 0));
      assertEquals(List.of(new dev.ferry.apps.model.AddressPair("10.0.0.50", null),
          new dev.ferry.apps.model.AddressPair("10.0.0.64/28", "02:00:5e:00:01:07")), before.allowedAddressPairs());
      Port plain = store.create(Resource.PORTS, port(n.id()));
      assertEquals(List.of(), plain.allowedAddressPairs());
    }
    Store store = store();
    assertEquals(before, store.get(Resource.PORTS, before.id()).orElseThrow());
    assertThrows(Rejection.class, () -> store.create(Resource.PORTS, new Port(null, before.networkId(), null, null, null, null,
        null, true, null, List.of(new dev.ferry.apps.model.AddressPair("10.0.0.70", "02:00:5e:00:01:07")), 0)),
        "a pair MAC belongs to one port");
  }

  @Test
  void concurrentWritersOnTwoNodesNeverShareAVniAnAddressOrAMac() throws Exception {
    Store a = store();
    Store b = track(peer(a));
    a.create(Resource.TENANTS, new Tenant("t", "T", 0));
    int writers = 4;
    int perWriter = 60;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      // Networks with allocated VNIs, half from each node.
      ConcurrentLinkedQueue<Network> nets = new ConcurrentLinkedQueue<>();
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        Store s = w % 2 == 0 ? a : b;
        int base = w;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 5; i++) {
            nets.add(s.create(Resource.NETWORKS, net(null, "t", "10." + (base * 5 + i) + ".0.0/16")));
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      Set<Integer> vnis = new HashSet<>();
      nets.forEach(n -> assertTrue(vnis.add(n.vni()), "duplicate vni " + n.vni()));

      // Ports in one network, half from each node.
      String shared = nets.peek().id();
      ConcurrentLinkedQueue<Port> ports = new ConcurrentLinkedQueue<>();
      done.clear();
      for (int w = 0; w < writers; w++) {
        Store s = w % 2 == 0 ? a : b;
        done.add(pool.submit(() -> {
          for (int i = 0; i < perWriter; i++) {
            ports.add(s.create(Resource.PORTS, port(shared)));
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      Set<String> ips = new HashSet<>();
      Set<String> macs = new HashSet<>();
      for (Port p : ports) {
        assertTrue(ips.add(p.ip()), "duplicate ip " + p.ip());
        assertTrue(macs.add(p.mac()), "duplicate mac " + p.mac());
      }
      assertEquals(writers * perWriter, ips.size());
      long version = Math.max(a.version(), b.version());
      waitFor(() -> a.version() == version && b.version() == version);
      assertEquals(a.snapshot(), b.snapshot(), "both nodes hold the same model");
      assertEquals(writers * perWriter, a.portsOfNetwork(shared).size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void ifMatchHoldsAcrossNodes() throws Exception {
    Store a = store();
    Store b = track(peer(a));
    a.create(Resource.TENANTS, new Tenant("t", "T", 0));
    waitFor(() -> b.get(Resource.TENANTS, "t").isPresent());
    a.update(Resource.TENANTS, new Tenant("t", "by a", 0), 1L);
    // b saw revision 1; its If-Match 1 is stale now, whether or not its cache has caught up.
    Rejection r = assertThrows(Rejection.class, () -> b.update(Resource.TENANTS, new Tenant("t", "by b", 0), 1L));
    assertEquals(Rejection.Reason.STALE, r.reason());
    assertEquals("by a", b.get(Resource.TENANTS, "t").orElseThrow().name());
  }

  static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met in 10 s");
      }
      Thread.sleep(10);
    }
  }
}
