package dev.ferry.tests.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.controller.Main;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.lab.Shell;
import dev.ferry.tests.scenario.CniRuntime;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The CNI plugin as a runtime runs it: installed with {@code ferry cni install} (launcher script
 * and class-data archive), exec'd inside lab hosts with the CNI environment and config on
 * stdin, alone and chained with Debian's reference plugins (tuning, bandwidth).
 */
@ExtendWith(LabExtension.class)
class CniPluginTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path REFERENCE_PLUGINS = Path.of("/usr/lib/cni");

  @TempDir
  static Path install;

  @BeforeAll
  static void installPlugin() {
    LabExtension.assumeLabAvailable();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("cni", "install", "--bin-dir", install.resolve("bin").toString(), "--lib-dir", install.resolve("lib").toString());
    assertEquals(0, rc, "ferry cni install failed: " + err + out);
    assertTrue(Files.isExecutable(install.resolve("bin/ferry")));
  }

  @Test
  void twoPodsOnTwoHostsGetFerryAddressesPingAndDelLeavesNothing(Lab lab, @TempDir Path dir) throws IOException {
    try (OpsLab ops = new OpsLab(lab, dir.resolve("data"))) {
      List<LabHost> hosts = registeredHosts(ops, "h1", "h2");
      ops.api.createNetwork(ops.api.createTenant("blue"), "blue-net", 100, "10.30.0.0/24");
      String ns1 = lab.addEmptyNamespace("pa");
      String ns2 = lab.addEmptyNamespace("pb");
      CniRuntime rt1 = runtime(hosts.get(0));
      CniRuntime rt2 = runtime(hosts.get(1));
      ObjectNode conf1 = config(ops, hosts.get(0));
      ObjectNode conf2 = config(ops, hosts.get(1));

      CniRuntime.Invocation a1 = rt1.exec("ADD", "pod-a", netnsPath(ns1), "eth0", conf1);
      CniRuntime.Invocation a2 = rt2.exec("ADD", "pod-b", netnsPath(ns2), "eth0", conf2);
      assertTrue(a1.ok(), a1.toString());
      assertTrue(a2.ok(), a2.toString());
      JsonNode r1 = a1.out();
      assertEquals("1.0.0", r1.path("cniVersion").asText());
      JsonNode pod = r1.path("interfaces").get(1);
      assertEquals("eth0", pod.path("name").asText());
      assertEquals(netnsPath(ns1), pod.path("sandbox").asText());
      String hostLink1 = r1.path("interfaces").get(0).path("name").asText();
      assertTrue(r1.path("interfaces").get(0).path("sandbox").isMissingNode(), "host veth has a sandbox: " + r1);

      JsonNode port1 = portOf(ops, "cni:pod-a");
      JsonNode port2 = portOf(ops, "cni:pod-b");
      assertEquals(port1.path("ip").asText() + "/24", r1.path("ips").get(0).path("address").asText());
      assertEquals(1, r1.path("ips").get(0).path("interface").asInt());
      assertEquals("10.30.0.1", r1.path("ips").get(0).path("gateway").asText());
      assertEquals("0.0.0.0/0", r1.path("routes").get(0).path("dst").asText());
      assertEquals(port1.path("mac").asText(), pod.path("mac").asText());
      assertEquals("h1", port1.path("host").asText());
      assertEquals(hostLink1, port1.path("interface").asText());
      String shown = Shell.check("ip", "-n", ns1, "-o", "addr", "show", "dev", "eth0");
      assertTrue(shown.contains(port1.path("ip").asText() + "/24"), shown);
      assertTrue(Shell.check("ip", "-n", ns1, "-o", "link", "show", "eth0").contains("mtu 1450"));
      assertTrue(HostSetupAttachTest.pingsWithin(ns1, port2.path("ip").asText(), 20), "no cross-host ping between CNI pods");

      CniRuntime.Invocation c1 = rt1.exec("CHECK", "pod-a", netnsPath(ns1), "eth0", withPrev(conf1, r1));
      assertTrue(c1.ok(), "CHECK of a good attachment failed: " + c1);
      CniRuntime.Invocation again1 = rt1.exec("ADD", "pod-a", netnsPath(ns1), "eth0", conf1); // a runtime's retry
      assertTrue(again1.ok(), "a repeated ADD failed: " + again1);
      assertEquals(r1.path("ips"), again1.out().path("ips"), "a repeated ADD changed the address");
      assertEquals(2, ops.api.get("/v1/ports").size(), "a repeated ADD made another port");
      r1 = again1.out();
      Shell.check("ip", "-n", ns1, "addr", "flush", "dev", "eth0");
      CniRuntime.Invocation broken = rt1.exec("CHECK", "pod-a", netnsPath(ns1), "eth0", withPrev(conf1, r1));
      assertNotEquals(0, broken.exitCode(), "CHECK passed without the address: " + broken);
      assertEquals(103, broken.out().path("code").asInt(), broken.toString());

      String hostLink2 = a2.out().path("interfaces").get(0).path("name").asText();
      Shell.check("ip", "netns", "del", ns2); // the pod's namespace is gone before its DEL
      CniRuntime.Invocation d2 = rt2.exec("DEL", "pod-b", netnsPath(ns2), "eth0", withPrev(conf2, a2.out()));
      assertTrue(d2.ok(), "DEL after the netns was deleted failed: " + d2);
      CniRuntime.Invocation d1 = rt1.exec("DEL", "pod-a", netnsPath(ns1), "eth0", withPrev(conf1, r1));
      assertTrue(d1.ok(), d1.toString());
      assertNothingLeft(hosts.get(0), hostLink1);
      assertNothingLeft(hosts.get(1), hostLink2);
      assertEquals(0, ops.api.get("/v1/ports").size(), "REST ports left behind");
      CniRuntime.Invocation again = rt1.exec("DEL", "pod-a", netnsPath(ns1), "eth0", conf1);
      assertTrue(again.ok(), "a second DEL failed: " + again);
      CniRuntime.Invocation noNetns = rt2.exec("DEL", "pod-b", null, "eth0", conf2);
      assertTrue(noNetns.ok(), "DEL without CNI_NETNS failed: " + noNetns);
    }
  }

  @Test
  void conflistWithTuningAndBandwidthPassesAddCheckDelAndBadConfigsGetErrorResults(Lab lab, @TempDir Path dir)
      throws IOException {
    assertTrue(Files.isExecutable(REFERENCE_PLUGINS.resolve("tuning")), "containernetworking-plugins is not installed");
    try (OpsLab ops = new OpsLab(lab, dir.resolve("data"))) {
      LabHost h1 = registeredHosts(ops, "h1").get(0);
      ops.api.createNetwork(ops.api.createTenant("blue"), "blue-net", 100, "10.30.0.0/24");
      String ns = lab.addEmptyNamespace("pc");
      CniRuntime rt = runtime(h1);
      ObjectNode ferry = config(ops, h1);
      ferry.remove(List.of("cniVersion", "name"));
      ObjectNode conflist = JSON.createObjectNode().put("cniVersion", "1.0.0").put("name", "blue");
      conflist.putArray("plugins").add(ferry)
          .add(JSON.readTree("{\"type\": \"tuning\", \"sysctl\": {\"net.ipv4.conf.eth0.arp_notify\": \"1\"}}"))
          .add(JSON.readTree("{\"type\": \"bandwidth\", \"ingressRate\": 100000000, \"ingressBurst\": 1000000,"
              + " \"egressRate\": 100000000, \"egressBurst\": 1000000}"));

      JsonNode cached = rt.addList(conflist, "pod-c", netnsPath(ns), "eth0");
      String hostLink = cached.path("interfaces").get(0).path("name").asText();
      assertEquals("1", Shell.check("ip", "netns", "exec", ns, "sysctl", "-n", "net.ipv4.conf.eth0.arp_notify").strip());
      assertTrue(h1.exec("tc", "qdisc", "show", "dev", hostLink).out().contains("tbf"), "bandwidth set no tbf on " + hostLink);
      assertNull(rt.checkList(conflist, "pod-c", netnsPath(ns), "eth0", cached), "CHECK through the conflist failed");
      assertNull(rt.delList(conflist, "pod-c", netnsPath(ns), "eth0", cached), "DEL through the conflist failed");
      assertNull(rt.delList(conflist, "pod-c", netnsPath(ns), "eth0", cached), "a second DEL through the conflist failed");
      assertNothingLeft(h1, hostLink);
      assertEquals("", h1.exec("ip", "-o", "link", "show", "type", "ifb").out().strip(), "bandwidth's ifb left behind");
      assertEquals(0, ops.api.get("/v1/ports").size(), "REST ports left behind");

      ObjectNode single = config(ops, h1);
      assertError(rt.exec("ADD", "pod-d", netnsPath(ns), "eth0", single.deepCopy().put("network", "no-such-net")), 7,
          "no-such-net");
      assertError(rt.exec("ADD", "pod-d", netnsPath(ns), "eth0", without(single, "url")), 7, "url");
      assertError(rt.exec("ADD", "pod-d", netnsPath(ns), "eth0", "{not json".getBytes(StandardCharsets.UTF_8), "ferry"),
          6, "JSON");
      ObjectNode hostLocal = single.deepCopy();
      hostLocal.putObject("ipam").put("type", "host-local");
      assertError(rt.exec("ADD", "pod-d", netnsPath(ns), "eth0", hostLocal), 2, "host-local");
      assertError(rt.exec("ADD", "pod-d", netnsPath(ns) + "-gone", "eth0", single), 3, "does not exist");
      assertEquals(0, ops.api.get("/v1/ports").size(), "a failed ADD left a REST port");
      assertFalse(h1.exec("ip", "-o", "link").out().lines().anyMatch(l -> l.matches("\\d+: fy\\p{XDigit}{10}[@:].*")),
          "a failed ADD left a veth");

      // CNI 1.1: GC removes this plugin's attachments the runtime no longer lists; STATUS asks Ferry.
      ObjectNode v11 = single.deepCopy().put("cniVersion", "1.1.0");
      CniRuntime.Invocation kept = rt.exec("ADD", "pod-kept", netnsPath(ns), "eth0", v11);
      String gcNs = lab.addEmptyNamespace("pg");
      CniRuntime.Invocation stale = rt.exec("ADD", "pod-stale", netnsPath(gcNs), "eth0", v11);
      assertTrue(kept.ok() && stale.ok(), kept + " / " + stale);
      ObjectNode gc = v11.deepCopy();
      gc.putArray("cni.dev/valid-attachments").addObject().put("containerID", "pod-kept").put("ifname", "eth0");
      CniRuntime.Invocation collected = rt.exec("GC", null, null, null, gc);
      assertTrue(collected.ok(), collected.toString());
      assertEquals(List.of("cni:pod-kept"), ops.api.get("/v1/ports").findValuesAsText("name"), "GC kept the wrong ports");
      String staleLink = stale.out().path("interfaces").get(0).path("name").asText();
      assertNothingLeft(h1, staleLink);
      assertTrue(rt.exec("STATUS", null, null, null, v11).ok(), "STATUS with Ferry up failed");
      CniRuntime.Invocation down = rt.exec("STATUS", null, null, null, v11.deepCopy().put("url", "http://127.0.0.1:1"));
      assertEquals(50, down.out().path("code").asInt(), down.toString());
      assertTrue(rt.exec("DEL", "pod-kept", netnsPath(ns), "eth0", v11).ok());

      CniRuntime.Invocation version = rt.exec("VERSION", null, null, null,
          "{\"cniVersion\": \"1.0.0\"}".getBytes(StandardCharsets.UTF_8), "ferry");
      assertTrue(version.ok(), version.toString());
      assertTrue(version.out().path("supportedVersions").toString().contains("\"1.0.0\""), version.toString());
    }
  }

  private static void assertError(CniRuntime.Invocation r, int code, String mentions) {
    assertNotEquals(0, r.exitCode(), "a bad ADD exited 0: " + r);
    assertNotNull(r.out(), "no error JSON on stdout: " + r);
    assertEquals(code, r.out().path("code").asInt(), r.toString());
    assertTrue(r.out().path("msg").asText().contains(mentions), r.toString());
    assertTrue(r.out().path("cniVersion").isTextual(), r.toString());
  }

  /**
   * Hosts registered through REST, each with a host credential (as host-setup issues it) in
   * {@link OpsLab#credential}: the plugins and attach authenticate with that, not the admin token.
   */
  static List<LabHost> registeredHosts(OpsLab ops, String... names) throws IOException {
    List<LabHost> hosts = ops.lab.addHosts(names);
    for (LabHost h : hosts) {
      ops.api.createHost(h.name(), h.datapathIdHex(), h.tunnelIp());
      String token = ops.api.post("/v1/hosts/" + h.name() + "/tokens", java.util.Map.of()).path("token").asText();
      Files.createDirectories(ops.credential(h).getParent());
      Files.writeString(ops.credential(h), token + "\n");
    }
    hosts.forEach(h -> ops.awaitConnected(h.datapathId()));
    return hosts;
  }

  static CniRuntime runtime(LabHost h) {
    return new CniRuntime(h.namespace(), List.of(install.resolve("bin"), REFERENCE_PLUGINS));
  }

  /** A single-plugin config for a host, authenticating with the host's credential. */
  static ObjectNode config(OpsLab ops, LabHost h) {
    return JSON.createObjectNode().put("cniVersion", "1.0.0").put("name", "blue").put("type", "ferry")
        .put("url", ops.restUrl()).put("tokenFile", ops.credential(h).toString()).put("network", "blue-net")
        .put("host", h.name()).put("ovsdb", OpsLab.db(h));
  }

  static String netnsPath(String ns) {
    return "/run/netns/" + ns;
  }

  private static ObjectNode withPrev(ObjectNode config, JsonNode result) {
    ObjectNode c = config.deepCopy();
    c.set("prevResult", result);
    return c;
  }

  private static ObjectNode without(ObjectNode config, String field) {
    ObjectNode c = config.deepCopy();
    c.remove(field);
    return c;
  }

  private static JsonNode portOf(OpsLab ops, String name) {
    for (JsonNode p : ops.api.get("/v1/ports")) {
      if (name.equals(p.path("name").asText())) {
        return p;
      }
    }
    throw new AssertionError("no port " + name);
  }

  private static void assertNothingLeft(LabHost h, String link) {
    assertFalse(h.exec("ip", "link", "show", link).ok(), link + " veth left in " + h.name());
    assertFalse(h.vsctl("list-ports", "br-int").lines().anyMatch(link::equals), link + " OVS port left on " + h.name());
  }
}
