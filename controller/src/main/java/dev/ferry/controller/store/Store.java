package dev.ferry.controller.store;

import dev.ferry.apps.model.FloatingIp;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.model.SecurityGroup;
import dev.ferry.apps.model.SecurityGroupRule;
import dev.ferry.apps.model.Tenant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The network model's home. Every write validates against the whole model and either commits
 * durably (and then emits one {@link ModelEvent}) or throws a {@link Rejection} having changed
 * nothing.
 *
 * <p>Create: a null id is generated; revision is ignored (new objects get revision 1). A
 * network's vni 0 and null gateway_ip, a port's null mac and ip are allocated.
 * Update: the record's id names the object; {@code ifMatch} (nullable) must equal the current
 * revision. Delete: returns false when the object did not exist.
 *
 * <p><b>Model versions.</b> Every committed change of the model gets a model version, a number
 * that only grows: a later commit always has a greater version, across restarts. The store
 * supplies it, so a store decides what it is: {@link SqliteStore} counts commits (1, 2, 3 ...,
 * persisted with them); a clustered store uses its own commit revision (etcd's revision), which
 * may skip numbers. The version is carried by each {@link ModelEvent} and each snapshot, and is
 * what switches confirm they hold (the REST {@code ?wait=switches}).
 */
public interface Store extends AutoCloseable {

  /**
   * An immutable snapshot of the committed model (cached until the next write). Called from an
   * event listener it is at least as new as that event. Its {@link Model#version()} is the
   * version of the last change it contains.
   */
  Model snapshot();

  /**
   * The version of the last committed change (0 for a store never written). Read right after a
   * write returns, it is at least that write's version.
   */
  long version();

  /** Every committed change, after commit, in commit order, on one dispatch thread. */
  void subscribe(Consumer<ModelEvent> listener);

  // ---- every kind, generically (the per-kind methods below are these with the kind named)

  /** Every object of a kind, ordered by id (a host's and a pool's id is its name). */
  <T> List<T> list(Resource<T> kind);

  <T> Optional<T> get(Resource<T> kind, String id);

  /** Validated by the kind's rule; a null id is generated, the revision is 1. */
  <T> T create(Resource<T> kind, T record);

  /** The record's id names the object; {@code ifMatch} (nullable) must equal its revision. */
  <T> T update(Resource<T> kind, T record, Long ifMatch);

  /** False when the object did not exist; refused (in_use) while something depends on it. */
  boolean delete(Resource<?> kind, String id, Long ifMatch);

  default List<Tenant> tenants() {
    return list(Resource.TENANTS);
  }

  default Optional<Tenant> tenant(String id) {
    return get(Resource.TENANTS, id);
  }

  /** Commits the tenant with its default security group and that group's rules. */
  default Tenant createTenant(Tenant tenant) {
    return create(Resource.TENANTS, tenant);
  }

  default Tenant updateTenant(Tenant tenant, Long ifMatch) {
    return update(Resource.TENANTS, tenant, ifMatch);
  }

  /** Takes the tenant's default security group, its rules and the tenant's tokens along. */
  default boolean deleteTenant(String id, Long ifMatch) {
    return delete(Resource.TENANTS, id, ifMatch);
  }

  default List<Network> networks() {
    return list(Resource.NETWORKS);
  }

  default Optional<Network> network(String id) {
    return get(Resource.NETWORKS, id);
  }

  default Network createNetwork(Network network) {
    return create(Resource.NETWORKS, network);
  }

  default Network updateNetwork(Network network, Long ifMatch) {
    return update(Resource.NETWORKS, network, ifMatch);
  }

  default boolean deleteNetwork(String id, Long ifMatch) {
    return delete(Resource.NETWORKS, id, ifMatch);
  }

  /** All ports, ordered by id. */
  default List<Port> ports() {
    return list(Resource.PORTS);
  }

  List<Port> portsOfNetwork(String networkId);

  default Optional<Port> port(String id) {
    return get(Resource.PORTS, id);
  }

  default Port createPort(Port port) {
    return create(Resource.PORTS, port);
  }

  /**
   * Creates every port in one transaction, or none: each item is checked against the model
   * with the items before it (so allocations do not collide); when any is refused, a
   * {@link BatchRejection} names each refused item and nothing is written. Each created port
   * is its own change (its own event), committed together; SQLite gives each its own model
   * version, etcd one revision (one transaction) for them all. A null item
   * stands for one the caller already refused (a malformed body): the others are still
   * checked, so that the rejection names every bad item, and nothing is written.
   */
  List<Port> createPorts(List<Port> ports);

  default Port updatePort(Port port, Long ifMatch) {
    return update(Resource.PORTS, port, ifMatch);
  }

  default boolean deletePort(String id, Long ifMatch) {
    return delete(Resource.PORTS, id, ifMatch);
  }

  default List<Host> hosts() {
    return list(Resource.HOSTS);
  }

  default Optional<Host> host(String name) {
    return get(Resource.HOSTS, name);
  }

  default Host createHost(Host host) {
    return create(Resource.HOSTS, host);
  }

  default Host updateHost(Host host, Long ifMatch) {
    return update(Resource.HOSTS, host, ifMatch);
  }

  /** Takes the host's credentials and its learned uplink next hop along. */
  default boolean deleteHost(String name, Long ifMatch) {
    return delete(Resource.HOSTS, name, ifMatch);
  }

  default List<FloatingIp> floatingIps() {
    return list(Resource.FLOATING_IPS);
  }

  default Optional<FloatingIp> floatingIp(String id) {
    return get(Resource.FLOATING_IPS, id);
  }

  /**
   * @param pool external pool to allocate from when the ip is null, or that the ip must be in;
   *     null: the ip must be in some pool
   */
  FloatingIp createFloatingIp(FloatingIp floatingIp, String pool);

  default FloatingIp createFloatingIp(FloatingIp floatingIp) {
    return createFloatingIp(floatingIp, null);
  }

  /** @param pool if given, must be the pool the floating ip is in */
  FloatingIp updateFloatingIp(FloatingIp floatingIp, String pool, Long ifMatch);

  default FloatingIp updateFloatingIp(FloatingIp floatingIp, Long ifMatch) {
    return updateFloatingIp(floatingIp, null, ifMatch);
  }

  default boolean deleteFloatingIp(String id, Long ifMatch) {
    return delete(Resource.FLOATING_IPS, id, ifMatch);
  }

  /** Every tenant's security groups, ordered by id (each tenant has one named default). */
  default List<SecurityGroup> securityGroups() {
    return list(Resource.SECURITY_GROUPS);
  }

  default Optional<SecurityGroup> securityGroup(String id) {
    return get(Resource.SECURITY_GROUPS, id);
  }

  default SecurityGroup createSecurityGroup(SecurityGroup group) {
    return create(Resource.SECURITY_GROUPS, group);
  }

  default SecurityGroup updateSecurityGroup(SecurityGroup group, Long ifMatch) {
    return update(Resource.SECURITY_GROUPS, group, ifMatch);
  }

  /** Refused (in_use) while a port lists it or another group's rule names it as remote group; takes its rules along. */
  default boolean deleteSecurityGroup(String id, Long ifMatch) {
    return delete(Resource.SECURITY_GROUPS, id, ifMatch);
  }

  /** All rules, ordered by id. */
  default List<SecurityGroupRule> securityGroupRules() {
    return list(Resource.SECURITY_GROUP_RULES);
  }

  default Optional<SecurityGroupRule> securityGroupRule(String id) {
    return get(Resource.SECURITY_GROUP_RULES, id);
  }

  /** Rules are immutable (as in Neutron): create and delete only. */
  default SecurityGroupRule createSecurityGroupRule(SecurityGroupRule rule) {
    return create(Resource.SECURITY_GROUP_RULES, rule);
  }

  default boolean deleteSecurityGroupRule(String id, Long ifMatch) {
    return delete(Resource.SECURITY_GROUP_RULES, id, ifMatch);
  }

  /** The operator's external address pools, by name. */
  default List<ExternalPool> pools() {
    return list(Resource.POOLS);
  }

  default Optional<ExternalPool> pool(String name) {
    return get(Resource.POOLS, name);
  }

  default ExternalPool createPool(ExternalPool pool) {
    return create(Resource.POOLS, pool);
  }

  default ExternalPool updatePool(ExternalPool pool, Long ifMatch) {
    return update(Resource.POOLS, pool, ifMatch);
  }

  /** Refused (in_use) while a floating ip holds one of its addresses. */
  default boolean deletePool(String name, Long ifMatch) {
    return delete(Resource.POOLS, name, ifMatch);
  }

  /** The pool an address belongs to, if any. */
  Optional<ExternalPool> poolOf(String ip);

  /** Issues a new bearer token for a tenant; only its hash is kept, so this is the only copy. */
  String issueToken(String tenantId);

  /** The tenant a bearer token belongs to, if any. */
  Optional<String> tenantOfToken(String token);

  /** Every token's hash and its tenant (for export: the hashes, never a token). */
  java.util.Map<String, String> tokenHashes();

  /** Restores an exported token hash for a tenant that exists (import). */
  void restoreTokenHash(String hash, String tenantId);

  /**
   * Issues a host credential: a bearer token that may bind ports to that host only (as an
   * OVN chassis binds its own ports). Hashed like tenant tokens; deleted with the host.
   */
  String issueHostToken(String hostName);

  /** The host a credential belongs to, if any. */
  Optional<String> hostOfToken(String token);

  /** Uplink next hops learned by ARP and kept across restarts, by host name. */
  java.util.Map<String, UplinkNextHop> uplinkNextHops();

  /** Keeps (or replaces) a host's learned next hop; no model event. */
  void saveUplinkNextHop(UplinkNextHop hop);

  @Override
  void close();
}
