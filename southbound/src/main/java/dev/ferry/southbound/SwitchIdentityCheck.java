package dev.ferry.southbound;

import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Whether a connection may speak for the datapath id it claimed in its FEATURES_REPLY. The
 * southbound knows no hosts; the controller plugs in a check against its model (over TLS: the
 * certificate's subject CN names the host that owns the dpid). Asked on the channel's event
 * loop once per connection, so it must answer quickly from memory.
 */
@FunctionalInterface
public interface SwitchIdentityCheck {
  /** Lets every connection through (plain TCP labs, tests). */
  SwitchIdentityCheck ANYONE = (dpid, certificate) -> Optional.empty();

  /**
   * Why the connection may not speak for {@code dpid}, or empty to admit it.
   *
   * @param certificate the peer's TLS certificate, empty on plain TCP
   */
  Optional<String> refusal(long dpid, Optional<X509Certificate> certificate);
}
