package dev.ferry.controller.rest;

import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** REST over HTTPS: a Jetty TLS connector built from the same PEM certificate and key as OpenFlow's. */
public final class RestHttps {
  private RestHttps() {}

  /** Replaces Javalin's plain connector with a TLS one on host:port; start with {@link RestServer#startConfigured}. */
  public static void configure(JavalinConfig cfg, String host, int port, SSLContext ssl) {
    cfg.jetty.addConnector((server, http) -> {
      SslContextFactory.Server factory = new SslContextFactory.Server();
      factory.setSslContext(ssl);
      ServerConnector connector = new ServerConnector(server, factory);
      connector.setHost(host);
      connector.setPort(port);
      return connector;
    });
  }

  /** An SSLContext holding the certificate chain and PKCS#8 private key of two PEM files. */
  public static SSLContext context(Path certPem, Path keyPem) {
    try (InputStream in = Files.newInputStream(certPem)) {
      Certificate[] chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(Certificate[]::new);
      char[] password = Long.toHexString(new SecureRandom().nextLong()).toCharArray();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("ferry", privateKey(keyPem), password, chain);
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, password);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot load REST TLS certificate " + certPem + " / key " + keyPem
          + " (PEM, key in PKCS#8): " + e.getMessage(), e);
    }
  }

  private static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
    String text = Files.readString(pem);
    if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
      throw new GeneralSecurityException("not a PKCS#8 key (convert with: openssl pkcs8 -topk8 -nocrypt -in KEY)");
    }
    String body = text.substring(text.indexOf("-----BEGIN PRIVATE KEY-----") + 27, text.indexOf("-----END PRIVATE KEY-----"));
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(body));
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException wrongAlgorithm) {
        // try the next
      }
    }
    throw new GeneralSecurityException("unsupported private key algorithm in " + pem);
  }
}
