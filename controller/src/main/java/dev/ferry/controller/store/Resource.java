package dev.ferry.controller.store;

import dev.ferry.apps.model.FloatingIp;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.model.SecurityGroup;
import dev.ferry.apps.model.SecurityGroupRule;
import dev.ferry.apps.model.Tenant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * One kind of stored object, described once for both stores: its SQLite table (and the indexed
 * columns beside the JSON body) and etcd key directory, its id and revision, the rule that
 * validates it, what its deletion checks and takes along, its place in the {@link ModelCache}
 * and its {@link ModelEvent.Kind} (none for external pools, which are not part of the model:
 * no event, no model version). The generic create/update/delete of {@link CachedStore} and
 * each store's commit are driven by these alone.
 *
 * @param <T> the record
 */
public final class Resource<T> {

  /** Validates a create ({@code old} null) or an update and returns what is to be stored. */
  interface Rule<T> {
    T check(ModelRules rules, T requested, T old);
  }

  /** A column beside the body, kept for SQLite's unique indexes. */
  record Column<T>(String name, Function<T, Object> value) {}

  final String noun;
  final String table;
  final String idColumn;
  final String dir;
  final Class<T> type;
  final ModelEvent.Kind event;
  final Function<T, String> id;
  final ToLongFunction<T> revision;
  final Rule<T> rule;
  final BiConsumer<ModelRules, T> deleteCheck;
  final List<Column<T>> columns;
  private final Function<ModelCache, NavigableMap<String, T>> map;
  private final BiConsumer<ModelCache, T> put;
  private final BiConsumer<ModelCache, T> remove;

  private Resource(String noun, String table, String idColumn, String dir, Class<T> type, ModelEvent.Kind event,
      Function<T, String> id, ToLongFunction<T> revision, Rule<T> rule, BiConsumer<ModelRules, T> deleteCheck,
      List<Column<T>> columns, Function<ModelCache, NavigableMap<String, T>> map, BiConsumer<ModelCache, T> put,
      BiConsumer<ModelCache, T> remove) {
    this.noun = noun;
    this.table = table;
    this.idColumn = idColumn;
    this.dir = dir;
    this.type = type;
    this.event = event;
    this.id = id;
    this.revision = revision;
    this.rule = rule;
    this.deleteCheck = deleteCheck;
    this.columns = columns;
    this.map = map;
    this.put = put;
    this.remove = remove;
  }

  private static final BiConsumer<ModelRules, Object> NO_CHECK = (r, o) -> {};

  @SuppressWarnings("unchecked")
  private static <T> BiConsumer<ModelRules, T> noCheck() {
    return (BiConsumer<ModelRules, T>) (BiConsumer<ModelRules, ?>) NO_CHECK;
  }

  /** A create commits the tenant with its default security group and that group's rules; a delete takes them and the tenant's tokens along. */
  public static final Resource<Tenant> TENANTS = new Resource<>("tenant", "tenants", "id", "tenants", Tenant.class,
      ModelEvent.Kind.TENANT, Tenant::id, Tenant::revision, ModelRules::tenant, ModelRules::checkDeleteTenant,
      List.of(), c -> c.tenants, ModelCache::putTenant, ModelCache::removeTenant);

  /** A delete takes the host's credentials and its learned uplink next hop along. */
  public static final Resource<Host> HOSTS = new Resource<>("host", "hosts", "name", "hosts", Host.class,
      ModelEvent.Kind.HOST, Host::name, Host::revision, ModelRules::host, ModelRules::checkDeleteHost,
      List.of(), c -> c.hosts, ModelCache::putHost, ModelCache::removeHost);

  public static final Resource<Network> NETWORKS = new Resource<>("network", "networks", "id", "networks",
      Network.class, ModelEvent.Kind.NETWORK, Network::id, Network::revision, ModelRules::network,
      ModelRules::checkDeleteNetwork,
      List.of(new Column<>("tenant_id", Network::tenantId), new Column<>("vni", Network::vni)),
      c -> c.networks, ModelCache::putNetwork, ModelCache::removeNetwork);

  public static final Resource<Port> PORTS = new Resource<>("port", "ports", "id", "ports", Port.class,
      ModelEvent.Kind.PORT, Port::id, Port::revision, ModelRules::port, ModelRules::checkDeletePort,
      List.of(new Column<>("network_id", Port::networkId), new Column<>("ip", Port::ip), new Column<>("mac", Port::mac)),
      c -> c.ports, ModelCache::putPort, ModelCache::removePort);

  public static final Resource<FloatingIp> FLOATING_IPS = new Resource<>("floating ip", "floating_ips", "id",
      "floating_ips", FloatingIp.class, ModelEvent.Kind.FLOATING_IP, FloatingIp::id, FloatingIp::revision,
      (rules, f, old) -> rules.floatingIp(f, null, old), noCheck(),
      List.of(new Column<>("ip", FloatingIp::ip)), c -> c.floatingIps, ModelCache::putFloatingIp,
      ModelCache::removeFloatingIp);

  /**
   * Each tenant has one named default. A delete is refused (in_use) while a port lists the group
   * or another group's rule names it as remote group; it takes its rules along.
   */
  public static final Resource<SecurityGroup> SECURITY_GROUPS = new Resource<>("security group", "security_groups",
      "id", "security_groups", SecurityGroup.class, ModelEvent.Kind.SECURITY_GROUP, SecurityGroup::id,
      SecurityGroup::revision, ModelRules::securityGroup, ModelRules::checkDeleteSecurityGroup,
      List.of(new Column<>("tenant_id", SecurityGroup::tenantId)), c -> c.securityGroups,
      ModelCache::putSecurityGroup, ModelCache::removeSecurityGroup);

  /** Immutable (as in Neutron): created and deleted, never updated. */
  public static final Resource<SecurityGroupRule> SECURITY_GROUP_RULES = new Resource<>("security group rule",
      "security_group_rules", "id", "security_group_rules", SecurityGroupRule.class,
      ModelEvent.Kind.SECURITY_GROUP_RULE, SecurityGroupRule::id, SecurityGroupRule::revision,
      (rules, r, old) -> rules.securityGroupRule(r), noCheck(),
      List.of(new Column<>("security_group_id", SecurityGroupRule::securityGroupId)), c -> c.securityGroupRules,
      ModelCache::putSecurityGroupRule, ModelCache::removeSecurityGroupRule);

  /**
   * The operator's address pools, by name: stored and validated like the rest, but no model
   * object. A delete is refused (in_use) while a floating ip holds one of its addresses.
   */
  public static final Resource<ExternalPool> POOLS = new Resource<>("external pool", "external_pools", "name",
      "pools", ExternalPool.class, null, ExternalPool::name, ExternalPool::revision, ModelRules::pool,
      ModelRules::checkDeletePool, List.of(), c -> c.pools, ModelCache::putPool, ModelCache::removePool);

  /** Every kind, parents before children: the order a load applies them (ports index into networks). */
  static final List<Resource<?>> ALL = List.of(TENANTS, HOSTS, NETWORKS, PORTS, FLOATING_IPS, POOLS,
      SECURITY_GROUPS, SECURITY_GROUP_RULES);

  /** What an error calls one of these ("floating ip"). */
  public String noun() {
    return noun;
  }

  public String idOf(T record) {
    return id.apply(record);
  }

  public long revisionOf(T record) {
    return revision.applyAsLong(record);
  }

  NavigableMap<String, T> map(ModelCache cache) {
    return map.apply(cache);
  }

  void put(ModelCache cache, T record) {
    put.accept(cache, record);
  }

  void remove(ModelCache cache, T record) {
    remove.accept(cache, record);
  }

  /** Whether a change of it is a model change (an event, a model version). */
  boolean inModel() {
    return event != null;
  }

  T cast(Object record) {
    return type.cast(record);
  }

  /**
   * What creating {@code record} commits, the object first: a tenant brings its default
   * security group and that group's rules.
   */
  List<Change<?>> creation(T record) {
    List<Change<?>> out = new ArrayList<>(List.of(new Change<>(this, id.apply(record), null, record)));
    if (this == TENANTS) {
      String tenant = id.apply(record);
      SecurityGroup g = Model.defaultGroup(tenant);
      out.add(new Change<>(SECURITY_GROUPS, g.id(), null, g));
      for (SecurityGroupRule r : Model.defaultRules(tenant)) {
        out.add(new Change<>(SECURITY_GROUP_RULES, r.id(), null, r));
      }
    }
    return out;
  }

  /**
   * What deleting {@code old} commits, children first and the object last (so a watch that
   * applies them in order keeps the cache's indexes whole): a security group takes its rules,
   * a tenant its default group.
   */
  List<Change<?>> deletion(ModelCache cache, T old) {
    List<Change<?>> out = new ArrayList<>();
    if (this == TENANTS) {
      SecurityGroup g = cache.securityGroups.get(SecurityGroup.defaultId(id.apply(old)));
      if (g != null) {
        out.addAll(SECURITY_GROUPS.deletion(cache, g));
      }
    } else if (this == SECURITY_GROUPS) {
      String group = id.apply(old);
      for (SecurityGroupRule r : cache.securityGroupRules.values()) {
        if (r.securityGroupId().equals(group)) {
          out.add(new Change<>(SECURITY_GROUP_RULES, r.id(), r, null));
        }
      }
    }
    out.add(new Change<>(this, id.apply(old), old, null));
    return out;
  }

  @Override
  public String toString() {
    return table;
  }
}
