package dev.ferry.controller.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The schema, as numbered steps. A database records the last step applied in schema_version;
 * opening it applies the rest, each step in its own transaction. Append steps; never edit one.
 */
final class Migrations {

  /** Step n (1-based) is STEPS.get(n - 1). */
  static final List<List<String>> STEPS = List.of(
      List.of(
          "CREATE TABLE tenants (id TEXT PRIMARY KEY, body TEXT NOT NULL)",
          "CREATE TABLE networks (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL,"
              + " vni INTEGER NOT NULL UNIQUE, body TEXT NOT NULL)",
          "CREATE TABLE ports (id TEXT PRIMARY KEY, network_id TEXT NOT NULL, ip TEXT NOT NULL,"
              + " mac TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (network_id, ip), UNIQUE (network_id, mac))",
          "CREATE TABLE hosts (name TEXT PRIMARY KEY, body TEXT NOT NULL)",
          "CREATE TABLE floating_ips (id TEXT PRIMARY KEY, ip TEXT NOT NULL UNIQUE, body TEXT NOT NULL)",
          "CREATE TABLE tokens (hash TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, created_at TEXT NOT NULL)"),
      // The model version: one row, bumped in the transaction of every model change.
      List.of(
          "CREATE TABLE model_version (version INTEGER NOT NULL)",
          "INSERT INTO model_version (version) VALUES (0)"),
      List.of(
          "CREATE TABLE external_pools (name TEXT PRIMARY KEY, body TEXT NOT NULL)"),
      List.of(
          "CREATE TABLE host_tokens (hash TEXT PRIMARY KEY, host TEXT NOT NULL, created_at TEXT NOT NULL)"),
      // Runtime facts kept across restarts (UplinkNextHop), not model objects.
      List.of("CREATE TABLE uplink_next_hops (host TEXT PRIMARY KEY, next_hop TEXT NOT NULL, mac TEXT NOT NULL)"),
      // Security groups; existing tenants get their default group when the store loads.
      List.of(
          "CREATE TABLE security_groups (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, body TEXT NOT NULL)",
          "CREATE TABLE security_group_rules (id TEXT PRIMARY KEY, security_group_id TEXT NOT NULL,"
              + " body TEXT NOT NULL)"));

  private Migrations() {}

  static int latest() {
    return STEPS.size();
  }

  /** Brings the database to the latest schema; returns the version it was at. */
  static int apply(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    }
    int current = currentVersion(c);
    if (current > latest()) {
      throw new SQLException("database schema version " + current
          + " is newer than this Ferry (" + latest() + "); upgrade Ferry");
    }
    for (int v = current + 1; v <= latest(); v++) {
      applyStep(c, v);
    }
    return current;
  }

  private static int currentVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  private static void applyStep(Connection c, int version) throws SQLException {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      for (String sql : STEPS.get(version - 1)) {
        s.execute(sql);
      }
      s.execute("DELETE FROM schema_version");
      s.execute("INSERT INTO schema_version (version) VALUES (" + version + ")");
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }
}
