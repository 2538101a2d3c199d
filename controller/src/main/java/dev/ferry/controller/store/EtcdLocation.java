package dev.ferry.controller.store;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an {@link EtcdStore} lives: the etcd members' client endpoints, the key prefix Ferry
 * keeps its data under, and, for TLS, the CA that signs etcd's certificates plus Ferry's client
 * certificate and key (all PEM; null for plain HTTP).
 *
 * <p>Parsed from {@code etcd://h1:2379,h2:2379[/prefix]}: the endpoints are tried in turn by the
 * client; the prefix (default {@code ferry}) lets several Ferry deployments share one etcd.
 */
public record EtcdLocation(List<URI> endpoints, String prefix, Path caCert, Path clientCert, Path clientKey) {

  public static final String SCHEME = "etcd://";

  public EtcdLocation {
    endpoints = List.copyOf(endpoints);
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("etcd store: no endpoint given (etcd://host:port,...)");
    }
    if ((clientCert == null) != (clientKey == null)) {
      throw new IllegalArgumentException("etcd TLS needs both --etcd-cert and --etcd-key");
    }
  }

  public static boolean isEtcd(String store) {
    return store != null && store.startsWith(SCHEME);
  }

  /** Parses {@code etcd://h1:2379,h2:2379[/prefix]}; TLS files may be null. */
  public static EtcdLocation parse(String store, String caCert, String clientCert, String clientKey) {
    if (!isEtcd(store)) {
      throw new IllegalArgumentException("store '" + store + "' is not etcd://host:port[,host:port...][/prefix]");
    }
    String rest = store.substring(SCHEME.length());
    String prefix = "ferry";
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      prefix = rest.substring(slash + 1);
      rest = rest.substring(0, slash);
      if (prefix.isEmpty() || !prefix.matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException("etcd store prefix '" + prefix + "' must be letters, digits, '.', '_' or '-'");
      }
    }
    boolean tls = caCert != null || clientCert != null;
    List<URI> endpoints = new ArrayList<>();
    for (String hostPort : rest.split(",")) {
      if (!hostPort.matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}")) {
        throw new IllegalArgumentException("etcd endpoint '" + hostPort + "' is not host:port");
      }
      endpoints.add(URI.create((tls ? "https://" : "http://") + hostPort));
    }
    return new EtcdLocation(endpoints, prefix, readable(caCert, "--etcd-cacert"),
        readable(clientCert, "--etcd-cert"), readable(clientKey, "--etcd-key"));
  }

  /** Plain HTTP endpoints, default prefix. */
  public static EtcdLocation plain(String hostPorts, String prefix) {
    EtcdLocation l = parse(SCHEME + hostPorts, null, null, null);
    return new EtcdLocation(l.endpoints(), prefix, null, null, null);
  }

  private static Path readable(String file, String flag) {
    if (file == null) {
      return null;
    }
    Path p = Path.of(file);
    if (!Files.isReadable(p)) {
      throw new IllegalArgumentException(flag + ": cannot read " + p);
    }
    return p;
  }

  /** The root of Ferry's keys: {@code /<prefix>/}. */
  public String root() {
    return "/" + prefix + "/";
  }
}
