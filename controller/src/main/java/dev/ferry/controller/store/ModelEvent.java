package dev.ferry.controller.store;

/**
 * One committed change. Created: oldValue null; deleted: newValue null. Delivered after commit,
 * in commit order.
 *
 * @param id the object's id (a host's name)
 * @param oldValue the model record before the change, or null
 * @param newValue the model record after the change, or null
 * @param version the model version this change committed as (see {@link Store#version()})
 */
public record ModelEvent(Kind kind, String id, Object oldValue, Object newValue, long version) {

  /** Which resource changed. */
  public enum Kind { TENANT, NETWORK, PORT, HOST, FLOATING_IP, SECURITY_GROUP, SECURITY_GROUP_RULE }

  public boolean created() {
    return oldValue == null;
  }

  public boolean deleted() {
    return newValue == null;
  }
}
