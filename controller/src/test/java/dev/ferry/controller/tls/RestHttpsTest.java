package dev.ferry.controller.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.controller.Ferry;
import dev.ferry.controller.FerryConfig;
import dev.ferry.controller.HostPort;
import dev.ferry.controller.TlsFiles;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** REST over HTTPS with an openssl-made certificate; and the TLS configuration rules. */
class RestHttpsTest {

  @Test
  void restAnswersOverHttpsAndNotOverPlainHttp(@TempDir Path dir) throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
        "-days", "1", "-subj", "/CN=ferry-test", "-addext", "subjectAltName=IP:127.0.0.1");
    FerryConfig config = new FerryConfig(new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0), dir.resolve("data"),
        "t", Duration.ofSeconds(2), Duration.ofSeconds(6), null, new TlsFiles(cert, key, null), true, null);
    try (Ferry ferry = new Ferry(config).start()) {
      HttpClient https = HttpClient.newBuilder().sslContext(trusting(cert)).build();
      String base = "://127.0.0.1:" + ferry.restPort();
      HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create("https" + base + "/v1/tenants"))
          .header("Authorization", "Bearer t").build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      assertThrows(java.io.IOException.class, () -> HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http" + base + "/v1/health")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString()), "plain HTTP must not be served");
    }
  }

  @Test
  void tlsSettingsMustBeComplete(@TempDir Path dir) throws Exception {
    Path pem = Files.writeString(dir.resolve("x.pem"), "x");
    Map<String, String> v = new HashMap<>(FerryConfig.DEFAULTS);
    v.put(FerryConfig.OPENFLOW_LISTEN, "none");
    assertThrows(IllegalArgumentException.class, () -> FerryConfig.fromMap(v), "no listener at all");
    v.put(FerryConfig.OPENFLOW_TLS_LISTEN, "0.0.0.0:6654");
    v.put(FerryConfig.TLS_CERT, pem.toString());
    v.put(FerryConfig.TLS_KEY, pem.toString());
    assertThrows(IllegalArgumentException.class, () -> FerryConfig.fromMap(v), "TLS listener without a CA");
    v.put(FerryConfig.TLS_CA, pem.toString());
    FerryConfig ok = FerryConfig.fromMap(v);
    assertEquals(null, ok.openflowListen());
    assertEquals(6654, ok.openflowTlsListen().port());
    v.put(FerryConfig.TLS_CA, dir.resolve("missing.pem").toString());
    assertThrows(IllegalArgumentException.class, () -> FerryConfig.fromMap(v), "unreadable CA");
    Map<String, String> rest = new HashMap<>(FerryConfig.DEFAULTS);
    rest.put(FerryConfig.REST_TLS, "true");
    assertThrows(IllegalArgumentException.class, () -> FerryConfig.fromMap(rest), "rest-tls without cert and key");
    rest.put(FerryConfig.REST_TLS, "yes");
    assertThrows(IllegalArgumentException.class, () -> FerryConfig.fromMap(rest));
  }

  static SSLContext trusting(Path cert) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      ks.setCertificateEntry("ferry", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  static void openssl(Path dir, String... args) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl CLI missing");
    java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("openssl"));
    cmd.addAll(java.util.List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("openssl.log").toFile()).start();
    assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl failed: " + Files.readString(dir.resolve("openssl.log")));
  }
}
