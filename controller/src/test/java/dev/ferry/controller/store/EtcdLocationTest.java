package dev.ferry.controller.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.controller.FerryConfig;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EtcdLocationTest {

  @Test
  void parsesEndpointsAndPrefix() {
    EtcdLocation l = EtcdLocation.parse("etcd://h1:2379,10.0.0.2:2379/prod", null, null, null);
    assertEquals(List.of(URI.create("http://h1:2379"), URI.create("http://10.0.0.2:2379")), l.endpoints());
    assertEquals("/prod/", l.root());
    assertEquals("/ferry/", EtcdLocation.parse("etcd://h1:2379", null, null, null).root());
  }

  @Test
  void refusesWhatItCannotUseNamingTheFlag() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> EtcdLocation.parse("etcd://h1", null, null, null)).getMessage().contains("host:port"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> EtcdLocation.parse("etcd://h1:2379", null, "/nonexistent.pem", null)).getMessage().contains("--etcd-cert"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> FerryConfig.fromMap(defaultsWith(Map.of(FerryConfig.ETCD_CACERT, "x")))).getMessage().contains("store=etcd"));
  }

  @Test
  void noStoreFlagKeepsSqlite() {
    FerryConfig c = FerryConfig.fromMap(new java.util.HashMap<>(FerryConfig.DEFAULTS));
    assertNull(c.etcd());
    FerryConfig e = FerryConfig.fromMap(defaultsWith(Map.of(FerryConfig.STORE, "etcd://127.0.0.1:2379")));
    assertEquals("/ferry/", e.etcd().root());
  }

  /** What `ferry run` resolves: the defaults, overlaid by these flags. */
  private static Map<String, String> defaultsWith(Map<String, String> flags) {
    Map<String, String> values = new java.util.HashMap<>(FerryConfig.DEFAULTS);
    values.putAll(flags);
    return values;
  }
}
