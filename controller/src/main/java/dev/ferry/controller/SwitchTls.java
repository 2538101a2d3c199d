package dev.ferry.controller;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import javax.net.ssl.SSLException;

/** The TLS context of the OpenFlow listener: Ferry's certificate, and only the switches' CA trusted. */
final class SwitchTls {
  private SwitchTls() {}

  static SslContext serverContext(TlsFiles files) {
    try {
      return SslContextBuilder.forServer(files.cert().toFile(), files.key().toFile())
          .trustManager(files.ca().toFile())
          .clientAuth(ClientAuth.REQUIRE)
          .build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot load TLS files (certificate " + files.cert() + ", key "
          + files.key() + " (PKCS#8 PEM), CA " + files.ca() + "): " + e.getMessage(), e);
    }
  }
}
