package dev.ferry.tests.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.controller.Ferry;
import dev.ferry.controller.FerryConfig;
import dev.ferry.controller.HostPort;
import dev.ferry.controller.TlsFiles;
import dev.ferry.southbound.OpenFlowServer;
import dev.ferry.tests.lab.HostSpec;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.lab.Shell;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenFlow over TLS with certificates made by ovs-pki: a switch whose certificate Ferry's
 * switch CA signed connects; a switch whose certificate another CA signed is refused, and the
 * refusal is logged with its address. Ferry listens on TLS only (--openflow-listen none).
 */
@ExtendWith(LabExtension.class)
class SwitchTlsTest {
  static final int TLS_PORT = 6654;

  @Test
  void aSwitchSignedByTheCaConnectsAndOneFromAnotherCaIsRefused(Lab lab, @TempDir Path dir) {
    Path pki = dir.resolve("pki");
    Path other = dir.resolve("other-pki");
    ovsPki(dir, pki, "init");
    ovsPki(dir, pki, "req+sign", "ferry", "controller");
    ovsPki(dir, pki, "req+sign", "good", "switch");
    ovsPki(dir, other, "init");
    ovsPki(dir, other, "req+sign", "rogue", "switch");

    FerryConfig config = new FerryConfig(null, new HostPort("127.0.0.1", 0), dir.resolve("data"), "t",
        Duration.ofSeconds(1), Duration.ofSeconds(3), new HostPort(lab.controllerIp(), TLS_PORT),
        new TlsFiles(dir.resolve("ferry-cert.pem"), dir.resolve("ferry-privkey.pem"), pki.resolve("switchca/cacert.pem")), false,
        null);
    try (LogCapture log = LogCapture.of(OpenFlowServer.class); Ferry ferry = new Ferry(config).start()) {
      List<LabHost> hosts = lab.addHosts(HostSpec.named("good").withoutController(), HostSpec.named("rogue").withoutController());
      LabHost good = hosts.get(0);
      LabHost rogue = hosts.get(1);
      // Both switches trust Ferry's certificate; only the good one holds a certificate Ferry trusts.
      good.vsctl("set-ssl", dir.resolve("good-privkey.pem").toString(), dir.resolve("good-cert.pem").toString(),
          pki.resolve("controllerca/cacert.pem").toString());
      rogue.vsctl("set-ssl", dir.resolve("rogue-privkey.pem").toString(), dir.resolve("rogue-cert.pem").toString(),
          pki.resolve("controllerca/cacert.pem").toString());
      String target = "ssl:" + lab.controllerIp() + ":" + TLS_PORT;
      good.setController(target);
      rogue.setController(target);

      assertTrue(waitFor(() -> ferry.openflow().registry().get(good.datapathId()).isPresent(), 20),
          "the switch with a certificate from Ferry's CA did not connect over TLS");
      assertTrue(waitFor(() -> log.messages().stream().anyMatch(m -> m.startsWith("WARN OpenFlow TLS: refused /"
          + rogue.managementIp() + ":")), 20), "no refusal of the rogue switch logged: " + log.messages());
      assertTrue(ferry.openflow().registry().get(rogue.datapathId()).isEmpty(), "a switch from another CA got in");
      assertEquals(1, ferry.openflow().registry().size());
      assertTrue(log.messages().stream().anyMatch(m -> m.contains("authenticated as") && m.contains("good")),
          log.messages().toString());
    }
  }

  /** ovs-pki in a temp directory (its log and request files land in cwd = dir). */
  private static void ovsPki(Path cwd, Path pkiDir, String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of("sh", "-c",
        "cd '" + cwd + "' && ovs-pki --dir='" + pkiDir + "' --log='" + cwd.resolve("ovs-pki.log") + "' --force "
            + String.join(" ", args)));
    Shell.run(java.util.Map.of(), Duration.ofSeconds(60), cmd).check();
  }

  static boolean waitFor(java.util.function.BooleanSupplier condition, int seconds) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Shell.pause(50);
    }
    return true;
  }
}
