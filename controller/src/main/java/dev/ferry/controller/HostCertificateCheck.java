package dev.ferry.controller;

import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.southbound.Dpid;
import dev.ferry.southbound.SwitchIdentityCheck;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.function.Supplier;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * Over TLS, a switch speaks for a datapath id only if its certificate's subject CN is the name
 * of the host that owns that dpid in the model (as OVN binds a chassis to its certificate CN):
 * a certificate for one host cannot claim another host's flows, and a dpid no host owns is
 * refused until the operator registers it. Plain TCP carries no identity and is let through;
 * production turns the plain listener off (docs/security.md).
 */
final class HostCertificateCheck implements SwitchIdentityCheck {
  private final Supplier<Model> model;

  HostCertificateCheck(Supplier<Model> model) {
    this.model = model;
  }

  @Override
  public Optional<String> refusal(long dpid, Optional<X509Certificate> certificate) {
    return certificate.flatMap(c -> refusal(model.get(), dpid, c.getSubjectX500Principal()));
  }

  /** Why the certificate subject may not speak for dpid in this model, or empty. */
  static Optional<String> refusal(Model model, long dpid, X500Principal subject) {
    Optional<String> cn = commonName(subject);
    if (cn.isEmpty()) {
      return Optional.of("certificate has no subject CN");
    }
    Optional<Host> owner = model.hostByDatapathId(dpid);
    if (owner.isEmpty()) {
      return Optional.of("no host has datapath id " + Dpid.format(dpid) + " (certificate CN '"
          + cn.get() + "'); register the host first");
    }
    if (!owner.get().name().equals(cn.get())) {
      return Optional.of("certificate CN '" + cn.get() + "' is not host '" + owner.get().name()
          + "', which owns datapath id " + Dpid.format(dpid));
    }
    return Optional.empty();
  }

  /** The subject's CN (the most specific one if there are several). */
  static Optional<String> commonName(X500Principal subject) {
    try {
      LdapName name = new LdapName(subject.getName(X500Principal.RFC2253));
      return name.getRdns().stream().filter(r -> r.getType().equalsIgnoreCase("CN"))
          .map(Rdn::getValue).map(String::valueOf).reduce((first, last) -> last);
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
  }
}
