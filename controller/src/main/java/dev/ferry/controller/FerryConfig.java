package dev.ferry.controller;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything the controller is configured with. A config file (Java properties) may set the
 * same keys as the command-line flags; flags win.
 *
 * @param openflowListen plain TCP OpenFlow listener; null: none ("openflow-listen=none")
 * @param adminToken the admin bearer token; null: read or generate {@code <dataDir>/admin-token}
 * @param openflowTlsListen OpenFlow over TLS listener (switches must present a certificate
 *     signed by {@code tls.ca()}); null: none
 * @param tls certificate, key and CA files; required by openflowTlsListen
 * @param restTls serve REST over HTTPS with tls.cert() and tls.key()
 * @param metricsToken a bearer token that may read GET /metrics (besides the admin token); null: none
 * @param metricsOpen GET /metrics needs no token at all (the operator opened it)
 * @param dhcpLease the DHCP lease time handed out (clients renew at half of it)
 * @param etcd null: the embedded SQLite store in dataDir; else this node keeps the model in etcd
 *     ({@code --store etcd://h1:2379,...}) and is one node of a cluster
 */
public record FerryConfig(HostPort openflowListen, HostPort restListen, Path dataDir, String adminToken,
    Duration echoInterval, Duration echoTimeout, HostPort openflowTlsListen, TlsFiles tls, boolean restTls,
    String metricsToken, boolean metricsOpen, Duration dhcpLease, dev.ferry.controller.store.EtcdLocation etcd) {

  public static final String OPENFLOW_LISTEN = "openflow-listen";
  public static final String REST_LISTEN = "rest-listen";
  public static final String DATA_DIR = "data-dir";
  public static final String ADMIN_TOKEN = "admin-token";
  public static final String ECHO_INTERVAL = "echo-interval-ms";
  public static final String ECHO_TIMEOUT = "echo-timeout-ms";
  public static final String OPENFLOW_TLS_LISTEN = "openflow-tls-listen";
  public static final String TLS_CERT = "tls-cert";
  public static final String TLS_KEY = "tls-key";
  public static final String TLS_CA = "tls-ca";
  public static final String REST_TLS = "rest-tls";
  public static final String METRICS_TOKEN = "metrics-token";
  public static final String METRICS_OPEN = "metrics-open";
  public static final String DHCP_LEASE = "dhcp-lease-seconds";
  public static final String STORE = "store";
  public static final String ETCD_CACERT = "etcd-cacert";
  public static final String ETCD_CERT = "etcd-cert";
  public static final String ETCD_KEY = "etcd-key";
  public static final String NONE = "none";
  private static final Set<String> KEYS = Set.of(OPENFLOW_LISTEN, REST_LISTEN, DATA_DIR, ADMIN_TOKEN,
      ECHO_INTERVAL, ECHO_TIMEOUT, OPENFLOW_TLS_LISTEN, TLS_CERT, TLS_KEY, TLS_CA, REST_TLS, METRICS_TOKEN,
      METRICS_OPEN, DHCP_LEASE, STORE, ETCD_CACERT, ETCD_CERT, ETCD_KEY);

  public FerryConfig {
    if (openflowListen == null && openflowTlsListen == null) {
      throw new IllegalArgumentException("no OpenFlow listener: set openflow-listen or openflow-tls-listen");
    }
    if (openflowTlsListen != null && (tls == null || tls.ca() == null)) {
      throw new IllegalArgumentException("openflow-tls-listen needs tls-cert, tls-key and tls-ca");
    }
    if (restTls && tls == null) {
      throw new IllegalArgumentException("rest-tls needs tls-cert and tls-key");
    }
    if (metricsOpen && metricsToken != null) {
      throw new IllegalArgumentException("metrics-open and metrics-token exclude each other: an open endpoint needs no token");
    }
    if (dhcpLease.toSeconds() < 2 || dhcpLease.toSeconds() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(DHCP_LEASE + " must be at least 2 seconds, is " + dhcpLease.toSeconds());
    }
  }

  private static final Duration DEFAULT_LEASE = Duration.ofSeconds(dev.ferry.apps.dhcp.DhcpResponder.LEASE_SECONDS);

  /** The SQLite store in dataDir, the default DHCP lease. */
  public FerryConfig(HostPort openflowListen, HostPort restListen, Path dataDir, String adminToken,
      Duration echoInterval, Duration echoTimeout, HostPort openflowTlsListen, TlsFiles tls, boolean restTls,
      String metricsToken, boolean metricsOpen) {
    this(openflowListen, restListen, dataDir, adminToken, echoInterval, echoTimeout, openflowTlsListen, tls, restTls,
        metricsToken, metricsOpen, DEFAULT_LEASE, null);
  }

  /** /metrics closed (admin token, or metricsToken if set). */
  public FerryConfig(HostPort openflowListen, HostPort restListen, Path dataDir, String adminToken,
      Duration echoInterval, Duration echoTimeout, HostPort openflowTlsListen, TlsFiles tls, boolean restTls,
      String metricsToken) {
    this(openflowListen, restListen, dataDir, adminToken, echoInterval, echoTimeout, openflowTlsListen, tls, restTls,
        metricsToken, false);
  }

  /** The same configuration with the model in etcd (null: SQLite). */
  public FerryConfig withEtcd(dev.ferry.controller.store.EtcdLocation location) {
    return new FerryConfig(openflowListen, restListen, dataDir, adminToken, echoInterval, echoTimeout,
        openflowTlsListen, tls, restTls, metricsToken, metricsOpen, dhcpLease, location);
  }

  /** Plain TCP only, REST over HTTP, metrics for the admin token. */
  public FerryConfig(HostPort openflowListen, HostPort restListen, Path dataDir, String adminToken,
      Duration echoInterval, Duration echoTimeout) {
    this(openflowListen, restListen, dataDir, adminToken, echoInterval, echoTimeout, null, null, false, null, false);
  }

  public static final Map<String, String> DEFAULTS = Map.of(
      OPENFLOW_LISTEN, "0.0.0.0:6653",
      REST_LISTEN, "0.0.0.0:8080",
      DATA_DIR, "./data",
      ECHO_INTERVAL, "2000",
      ECHO_TIMEOUT, "6000",
      DHCP_LEASE, Integer.toString(dev.ferry.apps.dhcp.DhcpResponder.LEASE_SECONDS));

  /** Defaults, overlaid by the file (if any), overlaid by the non-null flags. */
  public static FerryConfig resolve(Path file, Map<String, String> flags) throws IOException {
    Map<String, String> values = new HashMap<>(DEFAULTS);
    if (file != null) {
      values.putAll(readFile(file));
    }
    flags.forEach((k, v) -> {
      if (v != null) {
        values.put(k, v);
      }
    });
    return fromMap(values);
  }

  static Map<String, String> readFile(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    }
    Map<String, String> out = new HashMap<>();
    for (String key : p.stringPropertyNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(file + ": unknown key '" + key + "'; known keys: "
            + String.join(", ", new TreeSet<>(KEYS)));
      }
      out.put(key, p.getProperty(key).trim());
    }
    return out;
  }

  public static FerryConfig fromMap(Map<String, String> values) {
    String token = values.get(ADMIN_TOKEN);
    return new FerryConfig(
        optionalAddress(values.get(OPENFLOW_LISTEN)),
        HostPort.parse(values.get(REST_LISTEN)),
        Path.of(values.get(DATA_DIR)),
        blankToNull(token),
        millis(values, ECHO_INTERVAL),
        millis(values, ECHO_TIMEOUT),
        optionalAddress(values.get(OPENFLOW_TLS_LISTEN)),
        TlsFiles.of(blankToNull(values.get(TLS_CERT)), blankToNull(values.get(TLS_KEY)), blankToNull(values.get(TLS_CA))),
        bool(values, REST_TLS),
        blankToNull(values.get(METRICS_TOKEN)),
        bool(values, METRICS_OPEN),
        seconds(values, DHCP_LEASE),
        store(values));
  }

  /** No store, or "sqlite": null (SQLite in data-dir); "etcd://...": that etcd. */
  private static dev.ferry.controller.store.EtcdLocation store(Map<String, String> values) {
    String store = blankToNull(values.get(STORE));
    String ca = blankToNull(values.get(ETCD_CACERT));
    String cert = blankToNull(values.get(ETCD_CERT));
    String key = blankToNull(values.get(ETCD_KEY));
    if (store == null || store.equals("sqlite")) {
      if (ca != null || cert != null || key != null) {
        throw new IllegalArgumentException("etcd-cacert, etcd-cert and etcd-key need store=etcd://...");
      }
      return null;
    }
    return dev.ferry.controller.store.EtcdLocation.parse(store, ca, cert, key);
  }

  private static HostPort optionalAddress(String value) {
    return value == null || value.isBlank() || NONE.equals(value) ? null : HostPort.parse(value);
  }

  private static boolean bool(Map<String, String> values, String key) {
    String v = values.getOrDefault(key, "false");
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException(key + " must be true or false, not '" + v + "'");
    }
    return v.equals("true");
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }


  private static Duration seconds(Map<String, String> values, String key) {
    try {
      return Duration.ofSeconds(Long.parseLong(values.get(key)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number of seconds, not '" + values.get(key) + "'");
    }
  }

  private static Duration millis(Map<String, String> values, String key) {
    try {
      long ms = Long.parseLong(values.get(key));
      if (ms <= 0) {
        throw new NumberFormatException();
      }
      return Duration.ofMillis(ms);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a positive number of milliseconds, not '"
          + values.get(key) + "'");
    }
  }

  /** A config for tests and benchmarks: REST on an ephemeral loopback port. */
  public static FerryConfig forTest(Path dataDir, String adminToken) {
    return new FerryConfig(new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0), dataDir,
        adminToken, Duration.ofSeconds(2), Duration.ofSeconds(6));
  }
}
