package dev.ferry.tests.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.controller.cli.CtlClient;
import dev.ferry.controller.ops.HostIdentity;
import dev.ferry.tests.lab.HostSpec;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.lab.Shell;
import dev.ferry.tests.scenario.FerryApi;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * From bare OVS to cross-host ping with nothing but the operator commands: host-setup on two
 * fresh hosts, attach two namespaces (addresses allocated by Ferry), ping, run host-setup again
 * (nothing changes), detach (nothing left behind).
 */
@ExtendWith(LabExtension.class)
class HostSetupAttachTest {

  @Test
  void hostSetupAndAttachGiveCrossHostPingAndDetachLeavesNothing(Lab lab, @TempDir Path dir) throws Exception {
    try (OpsLab ops = new OpsLab(lab, dir)) {
      List<LabHost> hosts = lab.addHosts(HostSpec.named("h1").bareOvs(), HostSpec.named("h2").bareOvs());
      String tenant = ops.api.createTenant("blue");
      ops.api.createNetwork(tenant, "blue-net", 100, "10.20.0.0/24");

      for (LabHost h : hosts) {
        String first = ops.hostSetup(h);
        assertTrue(first.contains("br-int configured"), first);
        assertTrue(first.contains("host " + h.name() + " created"), first);
        assertTrue(first.contains("host credential written"), first);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
            java.nio.file.Files.getPosixFilePermissions(ops.credential(h))));
      }
      for (LabHost h : hosts) {
        ops.awaitConnected(Long.parseUnsignedLong(HostIdentity.derivedDatapathId(h.name()), 16));
      }
      assertEquals("secure", hosts.get(0).vsctl("get", "Bridge", "br-int", "fail_mode"));
      assertTrue(hosts.get(0).vsctl("get", "Controller", "br-int", "connection_mode").contains("out-of-band"));

      String ovsBefore = ovsConfig(hosts.get(0));
      String again = ops.hostSetup(hosts.get(0));
      assertEquals("ovs: br-int up to date (datapath id " + HostIdentity.derivedDatapathId("h1") + ")\n"
          + "ferry: host h1 up to date\n", again);
      String dry = ops.hostSetup(hosts.get(0), "--dry-run");
      assertFalse(dry.contains("ovs-vsctl"), "a dry run on a set-up host would run: " + dry);
      assertEquals(ovsBefore, ovsConfig(hosts.get(0)), "a second host-setup changed OVS");

      String c1 = lab.addEmptyNamespace("c1");
      String c2 = lab.addEmptyNamespace("c2");
      Shell.Result a1 = ops.inHost(hosts.get(0), "attach", "--netns", c1, "--network", "blue-net", "--host", "h1");
      Shell.Result a2 = ops.inHost(hosts.get(1), "attach", "--netns", c2, "--network", "blue-net", "--host", "h2");
      assertTrue(a1.ok(), a1.toString());
      assertTrue(a2.ok(), a2.toString());
      // h1's credential cannot bind a port to h2, nor to h1's tunnel port or bridge.
      String c3 = lab.addEmptyNamespace("c3");
      Shell.Result foreign = ops.inHost(hosts.get(0), "attach", "--netns", c3, "--network", "blue-net", "--host", "h2");
      assertFalse(foreign.ok(), "h1's credential bound a port to h2: " + foreign);
      assertTrue(foreign.err().contains("own host"), foreign.toString());
      FerryApi h1 = ops.api.withToken(java.nio.file.Files.readString(ops.credential(hosts.get(0))).strip());
      for (String infrastructure : List.of("vxlan0", "br-int")) {
        CtlClient.ApiFailure refused = h1.refused("POST", "/v1/ports", Map.of("network",
            ops.api.get("/v1/networks").get(0).path("id").asText(), "host", "h1", "interface", infrastructure));
        assertEquals(422, refused.status, infrastructure + ": " + refused.body);
      }
      String ip2 = portOf(ops, c2).path("ip").asText();
      assertTrue(pingsWithin(c1, ip2, 20), "no cross-host ping after host-setup + attach");
      assertEquals("1450", Shell.check("ip", "-n", c1, "-o", "link", "show", "eth0").replaceAll(".* mtu (\\d+) .*", "$1").strip());

      String link1 = portOf(ops, c1).path("interface").asText();
      String link2 = portOf(ops, c2).path("interface").asText();
      Shell.check("ip", "netns", "del", c2); // the container is gone before its detach
      Shell.Result d1 = ops.inHost(hosts.get(0), "detach", "--netns", c1, "--network", "blue-net");
      Shell.Result d2 = ops.inHost(hosts.get(1), "detach", "--netns", c2, "--network", "blue-net");
      assertTrue(d1.ok(), d1.toString());
      assertTrue(d2.ok(), "detach of a vanished container failed: " + d2);
      assertNothingLeft(hosts.get(0), link1);
      assertNothingLeft(hosts.get(1), link2);
      assertEquals(0, ops.api.get("/v1/ports").size(), "REST ports left behind");
      Shell.Result twice = ops.inHost(hosts.get(0), "detach", "--netns", c1, "--network", "blue-net");
      assertTrue(twice.ok(), "a second detach failed: " + twice);
    }
  }

  private static void assertNothingLeft(LabHost h, String link) {
    assertFalse(h.exec("ip", "link", "show", link).ok(), link + " veth left in " + h.name());
    assertFalse(h.vsctl("list-ports", "br-int").lines().anyMatch(link::equals), link + " OVS port left on " + h.name());
  }

  private static JsonNode portOf(OpsLab ops, String name) {
    for (JsonNode p : ops.api.get("/v1/ports")) {
      if (name.equals(p.path("name").asText())) {
        return p;
      }
    }
    throw new AssertionError("no port " + name);
  }

  private static String ovsConfig(LabHost h) {
    return h.vsctl("--columns=name,datapath_type,fail_mode,protocols,other_config", "list", "Bridge", "br-int")
        + h.vsctl("--columns=name,type,options", "list", "Interface")
        + h.vsctl("--columns=_uuid,target,connection_mode", "list", "Controller");
  }

  static boolean pingsWithin(String ns, String ip, int seconds) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (Shell.run("ip", "netns", "exec", ns, "ping", "-n", "-q", "-c", "1", "-W", "1", ip).ok()) {
        return true;
      }
    }
    return false;
  }
}
