package dev.ferry.controller;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * PEM files for TLS: Ferry's certificate and private key (PKCS#8), and the CA that signs the
 * switches' certificates (required for OpenFlow over TLS; REST over HTTPS needs only cert and key).
 */
public record TlsFiles(Path cert, Path key, Path ca) {

  /** Null when none of the three is set; an error when only some are. */
  static TlsFiles of(String cert, String key, String ca) {
    if (cert == null && key == null && ca == null) {
      return null;
    }
    if (cert == null || key == null) {
      throw new IllegalArgumentException("TLS needs both tls-cert and tls-key");
    }
    return new TlsFiles(readable(cert, "tls-cert"), readable(key, "tls-key"), ca == null ? null : readable(ca, "tls-ca"));
  }

  private static Path readable(String file, String key) {
    Path p = Path.of(file);
    if (!Files.isReadable(p)) {
      throw new IllegalArgumentException(key + ": cannot read " + p);
    }
    return p;
  }
}
