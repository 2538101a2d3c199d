package dev.ferry.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

/** A certificate speaks for the dpid of the host its subject CN names, and for no other. */
class HostCertificateCheckTest {
  private final Model model = Model.of(List.of(), List.of(), List.of(), List.of(
      new Host("h1", 0x1, "192.0.2.1", null, 1), new Host("h2", 0x2, "192.0.2.2", null, 1)),
      List.of());

  @Test
  void theCertificateOfTheHostThatOwnsTheDpidIsAdmitted() {
    assertEquals(Optional.empty(), HostCertificateCheck.refusal(model, 0x1,
        new X500Principal("CN=h1, OU=Open vSwitch certifier, O=Open vSwitch, C=US")));
  }

  @Test
  void anotherHostsCertificateIsRefused() {
    String why = HostCertificateCheck.refusal(model, 0x1, new X500Principal("CN=h2, O=x"))
        .orElseThrow();
    assertTrue(why.contains("'h2' is not host 'h1'"), why);
  }

  @Test
  void aDpidNoHostOwnsIsRefused() {
    assertTrue(HostCertificateCheck.refusal(model, 0x9, new X500Principal("CN=h1")).isPresent());
  }

  @Test
  void aSubjectWithoutCnIsRefusedAndOvsPkiUniqueSuffixesDoNotMatch() {
    assertTrue(HostCertificateCheck.refusal(model, 0x1, new X500Principal("O=h1")).isPresent());
    assertTrue(HostCertificateCheck.refusal(model, 0x1,
        new X500Principal("CN=h1 id:4b1c5a9e-0000-4000-8000-000000000000")).isPresent());
  }

  @Test
  void plainTcpCarriesNoIdentityAndIsLetThrough() {
    assertEquals(Optional.empty(), new HostCertificateCheck(() -> model).refusal(0x9, Optional.empty()));
  }
}
