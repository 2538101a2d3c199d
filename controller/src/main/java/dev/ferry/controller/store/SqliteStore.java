package dev.ferry.controller.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.apps.model.FloatingIp;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.model.SecurityGroup;
import dev.ferry.apps.model.SecurityGroupRule;
import dev.ferry.apps.model.Tenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The embedded default store: one SQLite file in WAL mode with synchronous=FULL, so a write is
 * on disk before the call returns. One writer at a time (a lock around validate, commit,
 * apply-to-cache, enqueue-event) keeps allocation race-free and events in commit order; reads
 * come from the in-memory {@link ModelCache}.
 */
public final class SqliteStore implements Store {

  private static final Logger LOG = LogManager.getLogger(SqliteStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Connection db;
  private final ModelCache cache = new ModelCache();
  private final ModelRules rules = new ModelRules(cache);
  private final Object writeLock = new Object();
  private final List<Consumer<ModelEvent>> listeners = new CopyOnWriteArrayList<>();
  private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "ferry-model-events");
    t.setDaemon(true);
    return t;
  });

  private SqliteStore(Connection db) {
    this.db = db;
  }

  /** Opens (creating and migrating as needed) {@code <dataDir>/ferry.db}. */
  public static SqliteStore open(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      Path file = dataDir.resolve("ferry.db");
      ownerOnly(file);
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA foreign_keys=ON");
        s.execute("PRAGMA busy_timeout=5000");
      }
      int from = Migrations.apply(c);
      SqliteStore store = new SqliteStore(c);
      store.load();
      store.addMissingDefaultGroups();
      LOG.info("store {} opened (schema v{} -> v{}, model version {}): {} tenants, {} networks, {} ports, {} hosts, {} floating ips",
          file, from, Migrations.latest(), store.cache.version(), store.cache.tenants.size(), store.cache.networks.size(),
          store.cache.ports.size(), store.cache.hosts.size(), store.cache.floatingIps.size());
      return store;
    } catch (Exception e) {
      throw new IllegalStateException("cannot open store in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> OWNER_ONLY =
      java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");

  /**
   * The database holds every tenant's model and the token hashes: 0600. Created so before
   * SQLite opens it, because SQLite gives its -wal and -shm files the database file's mode.
   */
  private static void ownerOnly(Path file) throws java.io.IOException {
    if (Files.notExists(file)) {
      Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    }
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Path f = file.resolveSibling(file.getFileName() + suffix);
      if (Files.exists(f) && !Files.getPosixFilePermissions(f).equals(OWNER_ONLY)) {
        Files.setPosixFilePermissions(f, OWNER_ONLY);
      }
    }
  }

  private void load() throws Exception {
    // Order matters: ports index into their network's address use.
    readAll("tenants", Tenant.class).forEach(cache::putTenant);
    readAll("hosts", Host.class).forEach(cache::putHost);
    readAll("networks", Network.class).forEach(cache::putNetwork);
    readAll("ports", Port.class).forEach(cache::putPort);
    readAll("floating_ips", FloatingIp.class).forEach(cache::putFloatingIp);
    readAll("external_pools", ExternalPool.class).forEach(cache::putPool);
    readAll("security_groups", SecurityGroup.class).forEach(cache::putSecurityGroup);
    readAll("security_group_rules", SecurityGroupRule.class).forEach(cache::putSecurityGroupRule);
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SELECT hash, tenant_id FROM tokens")) {
      while (rs.next()) {
        cache.tenantOfTokenHash.put(rs.getString(1), rs.getString(2));
      }
    }
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SELECT version FROM model_version")) {
      cache.version(rs.next() ? rs.getLong(1) : 0);
    }
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SELECT hash, host FROM host_tokens")) {
      while (rs.next()) {
        cache.hostOfTokenHash.put(rs.getString(1), rs.getString(2));
      }
    }
  }

  /** Tenants from before security groups (or a crash between writes) get their default group. */
  private void addMissingDefaultGroups() {
    synchronized (writeLock) {
      for (Tenant t : List.copyOf(cache.tenants.values())) {
        if (!cache.securityGroups.containsKey(SecurityGroup.defaultId(t.id()))) {
          commit(defaultGroupStatements(t.id()));
          putDefaultGroup(t.id());
        }
      }
    }
  }

  private static Sql[] defaultGroupStatements(String tenantId) {
    List<Sql> out = new ArrayList<>();
    SecurityGroup g = Model.defaultGroup(tenantId);
    out.add(put("INSERT INTO security_groups (id, tenant_id, body) VALUES (?, ?, ?)", g.id(), tenantId, json(g)));
    for (SecurityGroupRule r : Model.defaultRules(tenantId)) {
      out.add(put("INSERT INTO security_group_rules (id, security_group_id, body) VALUES (?, ?, ?)",
          r.id(), g.id(), json(r)));
    }
    return out.toArray(Sql[]::new);
  }

  private void putDefaultGroup(String tenantId) {
    cache.putSecurityGroup(Model.defaultGroup(tenantId));
    Model.defaultRules(tenantId).forEach(cache::putSecurityGroupRule);
  }

  private <T> List<T> readAll(String table, Class<T> type) throws Exception {
    List<T> out = new ArrayList<>();
    try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT body FROM " + table)) {
      while (rs.next()) {
        out.add(JSON.readValue(rs.getString(1), type));
      }
    }
    return out;
  }

  @Override
  public Model snapshot() {
    // Built under the writer's lock: a snapshot assembled while a write lands could otherwise
    // be cached after that write invalidated it, and go stale until the next write.
    synchronized (writeLock) {
      return cache.snapshot();
    }
  }

  @Override
  public long version() {
    return cache.version();
  }

  @Override
  public void subscribe(Consumer<ModelEvent> listener) {
    listeners.add(listener);
  }

  // ---- tenants

  @Override
  public List<Tenant> tenants() {
    return List.copyOf(cache.tenants.values());
  }

  @Override
  public Optional<Tenant> tenant(String id) {
    return Optional.ofNullable(cache.tenants.get(id));
  }

  @Override
  public Tenant createTenant(Tenant tenant) {
    synchronized (writeLock) {
      Tenant t = rules.tenant(tenant, null);
      List<Sql> sql = new ArrayList<>(List.of(put("INSERT INTO tenants (id, body) VALUES (?, ?)", t.id(), json(t))));
      sql.addAll(List.of(defaultGroupStatements(t.id())));
      long v = commitChange(sql.toArray(Sql[]::new));
      cache.putTenant(t);
      putDefaultGroup(t.id());
      publish(ModelEvent.Kind.TENANT, t.id(), null, t, v);
      return t;
    }
  }

  @Override
  public Tenant updateTenant(Tenant tenant, Long ifMatch) {
    synchronized (writeLock) {
      Tenant old = existing(cache.tenants, tenant.id(), "tenant");
      ModelRules.checkRevision(old.revision(), ifMatch);
      Tenant t = rules.tenant(tenant, old);
      long v = commitChange(put("UPDATE tenants SET body = ? WHERE id = ?", json(t), t.id()));
      cache.putTenant(t);
      publish(ModelEvent.Kind.TENANT, t.id(), old, t, v);
      return t;
    }
  }

  @Override
  public boolean deleteTenant(String id, Long ifMatch) {
    synchronized (writeLock) {
      Tenant old = cache.tenants.get(id);
      if (old == null) {
        return false;
      }
      ModelRules.checkRevision(old.revision(), ifMatch);
      rules.checkDeleteTenant(old);
      String group = SecurityGroup.defaultId(id);
      long v = commitChange(put("DELETE FROM tokens WHERE tenant_id = ?", id),
          put("DELETE FROM security_group_rules WHERE security_group_id = ?", group),
          put("DELETE FROM security_groups WHERE id = ?", group),
          put("DELETE FROM tenants WHERE id = ?", id));
      cache.removeTenant(old);
      java.util.Optional.ofNullable(cache.securityGroups.get(group)).ifPresent(cache::removeSecurityGroup);
      publish(ModelEvent.Kind.TENANT, id, old, null, v);
      return true;
    }
  }

  // ---- networks

  @Override
  public List<Network> networks() {
    return List.copyOf(cache.networks.values());
  }

  @Override
  public Optional<Network> network(String id) {
    return Optional.ofNullable(cache.networks.get(id));
  }

  @Override
  public Network createNetwork(Network network) {
    synchronized (writeLock) {
      Network n = rules.network(network, null);
      long v = commitChange(put("INSERT INTO networks (id, tenant_id, vni, body) VALUES (?, ?, ?, ?)",
          n.id(), n.tenantId(), n.vni(), json(n)));
      cache.putNetwork(n);
      publish(ModelEvent.Kind.NETWORK, n.id(), null, n, v);
      return n;
    }
  }

  @Override
  public Network updateNetwork(Network network, Long ifMatch) {
    synchronized (writeLock) {
      Network old = existing(cache.networks, network.id(), "network");
      ModelRules.checkRevision(old.revision(), ifMatch);
      Network n = rules.network(network, old);
      long v = commitChange(put("UPDATE networks SET body = ? WHERE id = ?", json(n), n.id()));
      cache.putNetwork(n);
      publish(ModelEvent.Kind.NETWORK, n.id(), old, n, v);
      return n;
    }
  }

  @Override
  public boolean deleteNetwork(String id, Long ifMatch) {
    synchronized (writeLock) {
      Network old = cache.networks.get(id);
      if (old == null) {
        return false;
      }
      ModelRules.checkRevision(old.revision(), ifMatch);
      rules.checkDeleteNetwork(old);
      long v = commitChange(put("DELETE FROM networks WHERE id = ?", id));
      cache.removeNetwork(old);
      publish(ModelEvent.Kind.NETWORK, id, old, null, v);
      return true;
    }
  }

  // ---- ports

  @Override
  public List<Port> ports() {
    return new ArrayList<>(cache.ports.values());
  }

  @Override
  public List<Port> portsOfNetwork(String networkId) {
    return cache.ports.values().stream().filter(p -> p.networkId().equals(networkId)).toList();
  }

  @Override
  public Optional<Port> port(String id) {
    return Optional.ofNullable(cache.ports.get(id));
  }

  @Override
  public Port createPort(Port port) {
    synchronized (writeLock) {
      Port p = rules.port(port, null);
      long v = commitChange(put("INSERT INTO ports (id, network_id, ip, mac, body) VALUES (?, ?, ?, ?, ?)",
          p.id(), p.networkId(), p.ip(), p.mac(), json(p)));
      cache.putPort(p);
      publish(ModelEvent.Kind.PORT, p.id(), null, p, v);
      return p;
    }
  }

  @Override
  public List<Port> createPorts(List<Port> ports) {
    synchronized (writeLock) {
      // Each item is checked with the ones before it in the cache (allocation sees them);
      // on any refusal they are taken out again. Readers of the cache's maps may glimpse an
      // item of a batch that is then refused; snapshots (the engine's view) never do.
      List<Port> created = new ArrayList<>();
      List<BatchRejection.Failure> failures = new ArrayList<>();
      boolean refusedBefore = false;
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
      if (failures.isEmpty() && !refusedBefore && !created.isEmpty()) {
        long first = cache.version() + 1;
        List<Sql> statements = new ArrayList<>();
        for (Port p : created) {
          statements.add(put("INSERT INTO ports (id, network_id, ip, mac, body) VALUES (?, ?, ?, ?, ?)",
              p.id(), p.networkId(), p.ip(), p.mac(), json(p)));
        }
        statements.add(put("UPDATE model_version SET version = ?", first + created.size() - 1));
        try {
          commit(statements.toArray(Sql[]::new));
        } catch (RuntimeException e) {
          undo(created);
          throw e;
        }
        for (int i = 0; i < created.size(); i++) {
          publish(ModelEvent.Kind.PORT, created.get(i).id(), null, created.get(i), first + i);
        }
        return created;
      }
      undo(created);
      if (!failures.isEmpty() || refusedBefore) {
        throw new BatchRejection(ports.size(), failures);
      }
      return created;
    }
  }

  private void undo(List<Port> applied) {
    for (int i = applied.size() - 1; i >= 0; i--) {
      cache.removePort(applied.get(i));
    }
  }

  @Override
  public Port updatePort(Port port, Long ifMatch) {
    synchronized (writeLock) {
      Port old = existing(cache.ports, port.id(), "port");
      ModelRules.checkRevision(old.revision(), ifMatch);
      Port p = rules.port(port, old);
      long v = commitChange(put("UPDATE ports SET ip = ?, mac = ?, body = ? WHERE id = ?", p.ip(), p.mac(), json(p), p.id()));
      cache.putPort(p);
      publish(ModelEvent.Kind.PORT, p.id(), old, p, v);
      return p;
    }
  }

  @Override
  public boolean deletePort(String id, Long ifMatch) {
    synchronized (writeLock) {
      Port old = cache.ports.get(id);
      if (old == null) {
        return false;
      }
      ModelRules.checkRevision(old.revision(), ifMatch);
      rules.checkDeletePort(old);
      long v = commitChange(put("DELETE FROM ports WHERE id = ?", id));
      cache.removePort(old);
      publish(ModelEvent.Kind.PORT, id, old, null, v);
      return true;
    }
  }

  // ---- hosts

  @Override
  public List<Host> hosts() {
    return List.copyOf(cache.hosts.values());
  }

  @Override
  public Optional<Host> host(String name) {
    return Optional.ofNullable(cache.hosts.get(name));
  }

  @Override
  public Host createHost(Host host) {
    synchronized (writeLock) {
      Host h = rules.host(host, null);
      long v = commitChange(put("INSERT INTO hosts (name, body) VALUES (?, ?)", h.name(), json(h)));
      cache.putHost(h);
      publish(ModelEvent.Kind.HOST, h.name(), null, h, v);
      return h;
    }
  }

  @Override
  public Host updateHost(Host host, Long ifMatch) {
    synchronized (writeLock) {
      Host old = existing(cache.hosts, host.name(), "host");
      ModelRules.checkRevision(old.revision(), ifMatch);
      Host h = rules.host(host, old);
      long v = commitChange(put("UPDATE hosts SET body = ? WHERE name = ?", json(h), h.name()));
      cache.putHost(h);
      publish(ModelEvent.Kind.HOST, h.name(), old, h, v);
      return h;
    }
  }

  @Override
  public boolean deleteHost(String name, Long ifMatch) {
    synchronized (writeLock) {
      Host old = cache.hosts.get(name);
      if (old == null) {
        return false;
      }
      ModelRules.checkRevision(old.revision(), ifMatch);
      rules.checkDeleteHost(old);
      long v = commitChange(put("DELETE FROM host_tokens WHERE host = ?", name), put("DELETE FROM hosts WHERE name = ?", name),
          put("DELETE FROM uplink_next_hops WHERE host = ?", name));
      cache.removeHost(old);
      publish(ModelEvent.Kind.HOST, name, old, null, v);
      return true;
    }
  }

  // ---- floating ips

  @Override
  public List<FloatingIp> floatingIps() {
    return List.copyOf(cache.floatingIps.values());
  }

  @Override
  public Optional<FloatingIp> floatingIp(String id) {
    return Optional.ofNullable(cache.floatingIps.get(id));
  }

  @Override
  public FloatingIp createFloatingIp(FloatingIp floatingIp, String pool) {
    synchronized (writeLock) {
      FloatingIp f = rules.floatingIp(floatingIp, pool, null);
      long v = commitChange(put("INSERT INTO floating_ips (id, ip, body) VALUES (?, ?, ?)", f.id(), f.ip(), json(f)));
      cache.putFloatingIp(f);
      publish(ModelEvent.Kind.FLOATING_IP, f.id(), null, f, v);
      return f;
    }
  }

  @Override
  public FloatingIp updateFloatingIp(FloatingIp floatingIp, String pool, Long ifMatch) {
    synchronized (writeLock) {
      FloatingIp old = existing(cache.floatingIps, floatingIp.id(), "floating ip");
      ModelRules.checkRevision(old.revision(), ifMatch);
      FloatingIp f = rules.floatingIp(floatingIp, pool, old);
      long v = commitChange(put("UPDATE floating_ips SET body = ? WHERE id = ?", json(f), f.id()));
      cache.putFloatingIp(f);
      publish(ModelEvent.Kind.FLOATING_IP, f.id(), old, f, v);
      return f;
    }
  }

  @Override
  public boolean deleteFloatingIp(String id, Long ifMatch) {
    synchronized (writeLock) {
      FloatingIp old = cache.floatingIps.get(id);
      if (old == null) {
        return false;
      }
      ModelRules.checkRevision(old.revision(), ifMatch);
      long v = commitChange(put("DELETE FROM floating_ips WHERE id = ?", id));
      cache.removeFloatingIp(old);
      publish(ModelEvent.Kind.FLOATING_IP, id, old, null, v);
      return true;
    }
  }

  // ---- security groups

  @Override
  public List<SecurityGroup> securityGroups() {
    return List.copyOf(cache.securityGroups.values());
  }

  @Override
  public Optional<SecurityGroup> securityGroup(String id) {
    return Optional.ofNullable(id == null ? null : cache.securityGroups.get(id));
  }

  @Override
  public SecurityGroup createSecurityGroup(SecurityGroup group) {
    synchronized (writeLock) {
      SecurityGroup g = rules.securityGroup(group, null);
      long v = commitChange(put("INSERT INTO security_groups (id, tenant_id, body) VALUES (?, ?, ?)",
          g.id(), g.tenantId(), json(g)));
      cache.putSecurityGroup(g);
      publish(ModelEvent.Kind.SECURITY_GROUP, g.id(), null, g, v);
      return g;
    }
  }

  @Override
  public SecurityGroup updateSecurityGroup(SecurityGroup group, Long ifMatch) {
    synchronized (writeLock) {
      SecurityGroup old = existing(cache.securityGroups, group.id(), "security group");
      ModelRules.checkRevision(old.revision(), ifMatch);
      SecurityGroup g = rules.securityGroup(group, old);
      long v = commitChange(put("UPDATE security_groups SET body = ? WHERE id = ?", json(g), g.id()));
      cache.putSecurityGroup(g);
      publish(ModelEvent.Kind.SECURITY_GROUP, g.id(), old, g, v);
      return g;
    }
  }

  @Override
  public boolean deleteSecurityGroup(String id, Long ifMatch) {
    synchronized (writeLock) {
      SecurityGroup old = id == null ? null : cache.securityGroups.get(id);
      if (old == null) {
        return false;
      }
      ModelRules.checkRevision(old.revision(), ifMatch);
      rules.checkDeleteSecurityGroup(old);
      long v = commitChange(put("DELETE FROM security_group_rules WHERE security_group_id = ?", id),
          put("DELETE FROM security_groups WHERE id = ?", id));
      cache.removeSecurityGroup(old);
      publish(ModelEvent.Kind.SECURITY_GROUP, id, old, null, v);
      return true;
    }
  }

  @Override
  public List<SecurityGroupRule> securityGroupRules() {
    return List.copyOf(cache.securityGroupRules.values());
  }

  @Override
  public Optional<SecurityGroupRule> securityGroupRule(String id) {
    return Optional.ofNullable(id == null ? null : cache.securityGroupRules.get(id));
  }

  @Override
  public SecurityGroupRule createSecurityGroupRule(SecurityGroupRule rule) {
    synchronized (writeLock) {
      SecurityGroupRule r = rules.securityGroupRule(rule);
      long v = commitChange(put("INSERT INTO security_group_rules (id, security_group_id, body) VALUES (?, ?, ?)",
          r.id(), r.securityGroupId(), json(r)));
      cache.putSecurityGroupRule(r);
      publish(ModelEvent.Kind.SECURITY_GROUP_RULE, r.id(), null, r, v);
      return r;
    }
  }

  @Override
  public boolean deleteSecurityGroupRule(String id, Long ifMatch) {
    synchronized (writeLock) {
      SecurityGroupRule old = id == null ? null : cache.securityGroupRules.get(id);
      if (old == null) {
        return false;
      }
      ModelRules.checkRevision(old.revision(), ifMatch);
      long v = commitChange(put("DELETE FROM security_group_rules WHERE id = ?", id));
      cache.removeSecurityGroupRule(old);
      publish(ModelEvent.Kind.SECURITY_GROUP_RULE, id, old, null, v);
      return true;
    }
  }

  // ---- external pools

  @Override
  public List<ExternalPool> pools() {
    return List.copyOf(cache.pools.values());
  }

  @Override
  public Optional<ExternalPool> pool(String name) {
    return Optional.ofNullable(cache.pools.get(name));
  }

  @Override
  public ExternalPool createPool(ExternalPool pool) {
    synchronized (writeLock) {
      ExternalPool p = rules.pool(pool, null);
      commit(put("INSERT INTO external_pools (name, body) VALUES (?, ?)", p.name(), json(p)));
      cache.putPool(p);
      return p;
    }
  }

  @Override
  public ExternalPool updatePool(ExternalPool pool, Long ifMatch) {
    synchronized (writeLock) {
      ExternalPool old = existing(cache.pools, pool.name(), "external pool");
      ModelRules.checkRevision(old.revision(), ifMatch);
      ExternalPool p = rules.pool(pool, old);
      commit(put("UPDATE external_pools SET body = ? WHERE name = ?", json(p), p.name()));
      cache.putPool(p);
      return p;
    }
  }

  @Override
  public boolean deletePool(String name, Long ifMatch) {
    synchronized (writeLock) {
      ExternalPool old = cache.pools.get(name);
      if (old == null) {
        return false;
      }
      ModelRules.checkRevision(old.revision(), ifMatch);
      rules.checkDeletePool(old);
      commit(put("DELETE FROM external_pools WHERE name = ?", name));
      cache.removePool(old);
      return true;
    }
  }

  @Override
  public Optional<ExternalPool> poolOf(String ip) {
    return Ipv4.isValid(ip) ? Optional.ofNullable(cache.poolOf(Ipv4.parse(ip, "ip"))) : Optional.empty();
  }

  // ---- tokens

  @Override
  public String issueToken(String tenantId) {
    synchronized (writeLock) {
      existing(cache.tenants, tenantId, "tenant");
      String token = TokenHash.newToken();
      String hash = TokenHash.sha256(token);
      commit(put("INSERT INTO tokens (hash, tenant_id, created_at) VALUES (?, ?, ?)",
          hash, tenantId, Instant.now().toString()));
      cache.tenantOfTokenHash.put(hash, tenantId);
      return token;
    }
  }

  @Override
  public Optional<String> tenantOfToken(String token) {
    return Optional.ofNullable(cache.tenantOfTokenHash.get(TokenHash.sha256(token)));
  }

  @Override
  public Map<String, String> tokenHashes() {
    return Map.copyOf(cache.tenantOfTokenHash);
  }

  @Override
  public void restoreTokenHash(String hash, String tenantId) {
    synchronized (writeLock) {
      existing(cache.tenants, tenantId, "tenant");
      commit(put("INSERT OR REPLACE INTO tokens (hash, tenant_id, created_at) VALUES (?, ?, ?)",
          hash, tenantId, Instant.now().toString()));
      cache.tenantOfTokenHash.put(hash, tenantId);
    }
  }

  @Override
  public String issueHostToken(String hostName) {
    synchronized (writeLock) {
      existing(cache.hosts, hostName, "host");
      String token = TokenHash.newToken();
      String hash = TokenHash.sha256(token);
      commit(put("INSERT INTO host_tokens (hash, host, created_at) VALUES (?, ?, ?)",
          hash, hostName, Instant.now().toString()));
      cache.hostOfTokenHash.put(hash, hostName);
      return token;
    }
  }

  @Override
  public Optional<String> hostOfToken(String token) {
    return Optional.ofNullable(cache.hostOfTokenHash.get(TokenHash.sha256(token)));
  }

  // ---- uplink next hops

  @Override
  public Map<String, UplinkNextHop> uplinkNextHops() {
    synchronized (writeLock) {
      Map<String, UplinkNextHop> out = new java.util.TreeMap<>();
      try (var ps = db.prepareStatement("SELECT host, next_hop, mac FROM uplink_next_hops");
          var rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), new UplinkNextHop(rs.getString(1), rs.getString(2), rs.getString(3)));
        }
      } catch (SQLException e) {
        throw new IllegalStateException("store read failed: " + e.getMessage(), e);
      }
      return out;
    }
  }

  @Override
  public void saveUplinkNextHop(UplinkNextHop hop) {
    synchronized (writeLock) {
      commit(put("INSERT OR REPLACE INTO uplink_next_hops (host, next_hop, mac) VALUES (?, ?, ?)",
          hop.host(), hop.nextHop(), hop.mac()));
    }
  }

  // ---- plumbing

  private static <T> T existing(Map<String, T> map, String id, String kind) {
    T t = id == null ? null : map.get(id);
    if (t == null) {
      throw Rejection.notFound(kind, id);
    }
    return t;
  }

  private static String json(Object record) {
    try {
      return JSON.writeValueAsString(record);
    } catch (Exception e) {
      throw new IllegalStateException("cannot serialize " + record, e);
    }
  }

  /** One SQL statement with its parameters. */
  private record Sql(String text, Object[] params) {}

  private static Sql put(String text, Object... params) {
    return new Sql(text, params);
  }

  private volatile java.util.function.LongConsumer writeObserver = nanos -> {};

  /** Called with each committed write's duration in nanoseconds (metrics' histogram). */
  public void onWrite(java.util.function.LongConsumer observer) {
    writeObserver = observer;
  }

  /** Runs the statements in one transaction; returns only once it is durable. */
  private void commit(Sql... statements) {
    long start = System.nanoTime();
    try {
      db.setAutoCommit(false);
      try {
        for (Sql sql : statements) {
          try (PreparedStatement ps = db.prepareStatement(sql.text())) {
            for (int i = 0; i < sql.params().length; i++) {
              ps.setObject(i + 1, sql.params()[i]);
            }
            ps.executeUpdate();
          }
        }
        db.commit();
        writeObserver.accept(System.nanoTime() - start);
      } catch (SQLException e) {
        db.rollback();
        throw e;
      } finally {
        db.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("store write failed: " + e.getMessage(), e);
    }
  }

  /**
   * Runs a model change's statements in one transaction together with the bump of the model
   * version; returns the version it committed as.
   */
  private long commitChange(Sql... statements) {
    long next = cache.version() + 1;
    Sql[] all = java.util.Arrays.copyOf(statements, statements.length + 1);
    all[statements.length] = put("UPDATE model_version SET version = ?", next);
    commit(all);
    return next;
  }

  /** After a change is committed and applied to the cache: its version, then its event. */
  private void publish(ModelEvent.Kind kind, String id, Object old, Object neu, long version) {
    cache.version(version);
    ModelEvent event = new ModelEvent(kind, id, old, neu, version);
    dispatcher.execute(() -> {
      for (Consumer<ModelEvent> l : listeners) {
        try {
          l.accept(event);
        } catch (RuntimeException e) {
          LOG.error("model event listener failed on {} {}", kind, id, e);
        }
      }
    });
  }

  @Override
  public void close() {
    synchronized (writeLock) {
      dispatcher.shutdown();
      try {
        dispatcher.awaitTermination(5, TimeUnit.SECONDS);
        db.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (SQLException e) {
        LOG.warn("closing store: {}", e.getMessage());
      }
    }
  }
}
