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

  List<Port> portsOfNetwork(String networkId);

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
