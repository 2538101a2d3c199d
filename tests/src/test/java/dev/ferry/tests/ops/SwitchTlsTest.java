package dev.ferry.tests.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.controller.Ferry;
import dev.ferry.controller.FerryConfig;
import dev.ferry.controller.HostPort;
import dev.ferry.controller.TlsFiles;
import dev.ferry.southbound.OpenFlowServer;
import dev.ferry.southbound.channel.SwitchChannelHandler;
import dev.ferry.tests.scenario.FerryApi;
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
 * switch CA signed for the host that owns its dpid (subject CN = host name) connects; a switch
 * whose certificate another CA signed is refused, and the refusal is logged with its address;
 * a switch with a certificate from Ferry's CA but for another host is refused and logged.
 * Ferry listens on TLS only (--openflow-listen none).
 */
@ExtendWith(LabExtension.class)
class SwitchTlsTest {
  static final int TLS_PORT = 6654;

  @Test
  void onlyTheCertificateOfTheHostThatOwnsTheDpidGetsIn(Lab lab, @TempDir Path dir) {
    FerryConfig config = new FerryConfig(null, new HostPort("127.0.0.1", 0), dir.resolve("data"), "t",
        Duration.ofSeconds(1), Duration.ofSeconds(3), new HostPort(lab.controllerIp(), TLS_PORT),
        new TlsFiles(dir.resolve("ferry-cert.pem"), dir.resolve("ferry-privkey.pem"),
            dir.resolve("pki/switchca/cacert.pem")), false,
        null);
    List<LabHost> hosts = lab.addHosts(HostSpec.named("good").withoutController(),
        HostSpec.named("rogue").withoutController(), HostSpec.named("impostor").withoutController());
    LabHost good = hosts.get(0);
    LabHost rogue = hosts.get(1);
    LabHost impostor = hosts.get(2);
    Path pki = dir.resolve("pki");
    Path other = dir.resolve("other-pki");
    ovsPki(dir, pki, "init");
    ovsPki(dir, pki, "req+sign", "ferry", "controller");
    ovsPki(dir, pki, "-u", "req+sign", good.name(), "switch");
    ovsPki(dir, pki, "-u", "req+sign", "bystander", "switch"); // a real host's, not impostor's
    ovsPki(dir, other, "init");
    ovsPki(dir, other, "-u", "req+sign", rogue.name(), "switch");
    try (LogCapture tlsLog = LogCapture.of(OpenFlowServer.class);
        LogCapture switchLog = LogCapture.of(SwitchChannelHandler.class);
        Ferry ferry = new Ferry(config).start()) {
      FerryApi api = new FerryApi("http://127.0.0.1:" + ferry.restPort(), "t");
      for (LabHost h : hosts) {
        api.createHost(h.name(), h.datapathIdHex(), h.tunnelIp());
      }
      api.createHost("bystander", "00000000000000bb", "192.168.5.200");
      // All switches trust Ferry's certificate; each presents its own.
      sslFor(good, dir, good.name(), pki);
      sslFor(rogue, dir, rogue.name(), pki);
      sslFor(impostor, dir, "bystander", pki);
      String target = "ssl:" + lab.controllerIp() + ":" + TLS_PORT;
      hosts.forEach(h -> h.setController(target));

      assertTrue(waitFor(() -> ferry.openflow().registry().get(good.datapathId()).isPresent(), 20),
          "the switch with its own host's certificate from Ferry's CA did not connect over TLS");
      assertTrue(waitFor(() -> tlsLog.messages().stream().anyMatch(m -> m.startsWith("WARN OpenFlow TLS: refused /"
          + rogue.managementIp() + ":")), 20), "no refusal of the rogue switch logged: " + tlsLog.messages());
      assertTrue(waitFor(() -> switchLog.messages().stream().anyMatch(m -> m.contains(impostor.managementIp())
          && m.contains("certificate CN 'bystander' is not host '" + impostor.name() + "'")), 20),
          "no refusal of the switch with another host's certificate logged: " + switchLog.messages());
      assertTrue(ferry.openflow().registry().get(rogue.datapathId()).isEmpty(), "a switch from another CA got in");
      assertTrue(ferry.openflow().registry().get(impostor.datapathId()).isEmpty(),
          "a switch with another host's certificate got in");
      assertEquals(1, ferry.openflow().registry().size());
      assertTrue(tlsLog.messages().stream().anyMatch(m -> m.contains("authenticated as") && m.contains(good.name())),
          tlsLog.messages().toString());
    }
  }

  private static void sslFor(LabHost host, Path dir, String certName, Path pki) {
    host.vsctl("set-ssl", dir.resolve(certName + "-privkey.pem").toString(),
        dir.resolve(certName + "-cert.pem").toString(), pki.resolve("controllerca/cacert.pem").toString());
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
