package dev.ferry.tests.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.lab.LabProcess;
import dev.ferry.tests.lab.Shell;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry docker-plugin} driven over its unix socket with the requests dockerd sends for
 * {@code docker network create -d ferry --ipam-driver ferry ...}, {@code docker run --network}
 * and the removals, in dockerd's order, with the test doing dockerd's own part after Join (move
 * the peer into the container's namespace, name it eth0, set the MAC, address and gateway that
 * the driver answered). The container then pings a namespace attached on another host.
 */
@ExtendWith(LabExtension.class)
class DockerPluginTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Reply(int status, JsonNode body) {}

  @Test
  void dockerRequestsGiveAContainerAFerryPortThatPingsAcrossHostsAndRemovalLeavesNothing(Lab lab, @TempDir Path dir)
      throws Exception {
    try (OpsLab ops = new OpsLab(lab, dir.resolve("data"))) {
      List<LabHost> hosts = CniPluginTest.registeredHosts(ops, "h1", "h2");
      ops.api.createNetwork(ops.api.createTenant("blue"), "blue-net", 100, "10.30.0.0/24");
      LabHost h1 = hosts.get(0);
      Path socket = dir.resolve("plugins/ferry.sock");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      LabProcess plugin = h1.spawn(java, "-Dferry.log.level=warn", "-cp", System.getProperty("java.class.path"),
          "dev.ferry.controller.Main", "docker-plugin", "--socket", socket.toString(), "--url", ops.restUrl(),
          "--credential", ops.credential(h1).toString(), "--host", "h1", "--db", OpsLab.db(h1), "--state", dir.resolve("state.json").toString());
      Reply activate = awaitActivate(socket, plugin);
      assertEquals("[\"NetworkDriver\",\"IpamDriver\"]", activate.body().path("Implements").toString());

      // docker network create -d ferry --opt ferry.network=blue-net --ipam-driver ferry --ipam-opt ferry.network=blue-net net1
      assertEquals(false, ok(post(socket, "IpamDriver.GetCapabilities", "{}")).path("RequiresMACAddress").asBoolean(true));
      String space = ok(post(socket, "IpamDriver.GetDefaultAddressSpaces", "{}")).path("LocalDefaultAddressSpace").asText();
      JsonNode pool = ok(post(socket, "IpamDriver.RequestPool", "{\"AddressSpace\": \"" + space
          + "\", \"Pool\": \"\", \"SubPool\": \"\", \"Options\": {\"ferry.network\": \"blue-net\"}, \"V6\": false}"));
      assertEquals("10.30.0.0/24", pool.path("Pool").asText());
      String poolId = pool.path("PoolID").asText();
      JsonNode gw = ok(post(socket, "IpamDriver.RequestAddress", "{\"PoolID\": \"" + poolId
          + "\", \"Address\": \"\", \"Options\": {\"RequestAddressType\": \"com.docker.network.gateway\"}}"));
      assertEquals("10.30.0.1/24", gw.path("Address").asText());
      assertEquals("local", ok(post(socket, "NetworkDriver.GetCapabilities", "{}")).path("Scope").asText());
      String netId = "d0c4e7".repeat(10) + "abcd";
      ok(post(socket, "NetworkDriver.CreateNetwork", "{\"NetworkID\": \"" + netId + "\", \"Options\": "
          + "{\"com.docker.network.enable_ipv6\": false, \"com.docker.network.generic\": {\"ferry.network\": \"blue-net\"}},"
          + " \"IPv4Data\": [{\"AddressSpace\": \"" + space + "\", \"Pool\": \"10.30.0.0/24\", \"Gateway\": \"10.30.0.1/24\"}],"
          + " \"IPv6Data\": []}"));

      // docker run --network net1
      String address = ok(post(socket, "IpamDriver.RequestAddress", "{\"PoolID\": \"" + poolId
          + "\", \"Address\": \"\", \"Options\": {}}")).path("Address").asText();
      assertTrue(address.matches("10\\.30\\.0\\.\\d+/24"), address);
      String endpoint = "e1d2".repeat(16);
      JsonNode created = ok(post(socket, "NetworkDriver.CreateEndpoint", "{\"NetworkID\": \"" + netId + "\", \"EndpointID\": \""
          + endpoint + "\", \"Interface\": {\"Address\": \"" + address + "\", \"AddressIPv6\": \"\", \"MacAddress\": \"\"},"
          + " \"Options\": {\"com.docker.network.endpoint.exposedports\": [], \"com.docker.network.portmap\": []}}"));
      String mac = created.path("Interface").path("MacAddress").asText();
      assertTrue(mac.matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}"), created.toString());
      ok(post(socket, "NetworkDriver.EndpointOperInfo", "{\"NetworkID\": \"" + netId + "\", \"EndpointID\": \"" + endpoint + "\"}"));
      String sandbox = lab.addEmptyNamespace("dk1");
      JsonNode join = ok(post(socket, "NetworkDriver.Join", "{\"NetworkID\": \"" + netId + "\", \"EndpointID\": \"" + endpoint
          + "\", \"SandboxKey\": \"/run/netns/" + sandbox + "\", \"Options\": {}}"));
      String src = join.path("InterfaceName").path("SrcName").asText();
      assertEquals("eth", join.path("InterfaceName").path("DstPrefix").asText());
      assertEquals("10.30.0.1", join.path("Gateway").asText());
      // dockerd's part: the peer into the sandbox as eth0 with the endpoint's MAC, address and gateway.
      Shell.check("ip", "-n", h1.namespace(), "link", "set", src, "netns", sandbox);
      Shell.check("ip", "-n", sandbox, "link", "set", src, "name", "eth0");
      Shell.check("ip", "-n", sandbox, "link", "set", "eth0", "address", mac);
      Shell.check("ip", "-n", sandbox, "addr", "add", address, "dev", "eth0");
      Shell.check("ip", "-n", sandbox, "link", "set", "eth0", "up");
      Shell.check("ip", "-n", sandbox, "route", "add", "default", "via", "10.30.0.1");

      JsonNode port = portWithName(ops, endpoint);
      assertEquals("h1", port.path("host").asText());
      assertEquals(address.replace("/24", ""), port.path("ip").asText());
      assertEquals(mac, port.path("mac").asText());
      String hostLink = port.path("interface").asText();
      assertTrue(h1.vsctl("list-ports", "br-int").lines().anyMatch(hostLink::equals), hostLink + " not on br-int");

      String other = lab.addEmptyNamespace("c2");
      Shell.Result attached = ops.inHost(hosts.get(1), "attach", "--netns", other, "--network", "blue-net", "--host", "h2");
      assertTrue(attached.ok(), attached.toString());
      String otherIp = portWithName(ops, other).path("ip").asText();
      assertTrue(HostSetupAttachTest.pingsWithin(sandbox, otherIp, 20), "the Docker endpoint does not ping across hosts");

      // docker rm -f, then docker network rm net1
      ok(post(socket, "NetworkDriver.Leave", "{\"NetworkID\": \"" + netId + "\", \"EndpointID\": \"" + endpoint + "\"}"));
      ok(post(socket, "NetworkDriver.DeleteEndpoint", "{\"NetworkID\": \"" + netId + "\", \"EndpointID\": \"" + endpoint + "\"}"));
      ok(post(socket, "IpamDriver.ReleaseAddress", "{\"PoolID\": \"" + poolId + "\", \"Address\": \"" + address + "\"}"));
      ok(post(socket, "NetworkDriver.DeleteNetwork", "{\"NetworkID\": \"" + netId + "\"}"));
      ok(post(socket, "IpamDriver.ReleaseAddress", "{\"PoolID\": \"" + poolId + "\", \"Address\": \"10.30.0.1/24\"}"));
      ok(post(socket, "IpamDriver.ReleasePool", "{\"PoolID\": \"" + poolId + "\"}"));
      assertFalse(h1.exec("ip", "link", "show", hostLink).ok(), hostLink + " veth left");
      assertFalse(h1.vsctl("list-ports", "br-int").lines().anyMatch(hostLink::equals), hostLink + " OVS port left");
      assertFalse(Shell.check("ip", "-n", sandbox, "-o", "link").contains("eth0"), "the container kept its interface");
      assertEquals(1, ops.api.get("/v1/ports").size(), "the Docker port is left in Ferry: " + ops.api.get("/v1/ports"));

      Reply noOption = post(socket, "NetworkDriver.CreateNetwork", "{\"NetworkID\": \"n2\", \"Options\": {}, \"IPv4Data\": [],"
          + " \"IPv6Data\": []}");
      assertEquals(500, noOption.status());
      assertTrue(noOption.body().path("Err").asText().contains("ferry.network"), noOption.toString());
      Reply unknown = post(socket, "IpamDriver.RequestPool", "{\"Options\": {\"ferry.network\": \"no-such-net\"}, \"V6\": false}");
      assertTrue(unknown.body().path("Err").asText().contains("no-such-net"), unknown.toString());
      Reply notCreated = post(socket, "NetworkDriver.Join", "{\"NetworkID\": \"" + netId + "\", \"EndpointID\": \"x\","
          + " \"SandboxKey\": \"/run/netns/x\"}");
      assertTrue(notCreated.body().path("Err").asText().contains("not created"), notCreated.toString());
      assertEquals(1, ops.api.get("/v1/ports").size(), "a refused request changed Ferry");
    }
  }

  private static JsonNode ok(Reply r) {
    assertEquals(200, r.status(), r.toString());
    assertTrue(r.body().path("Err").asText("").isEmpty(), r.toString());
    return r.body();
  }

  private static Reply awaitActivate(Path socket, LabProcess plugin) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!plugin.alive()) {
        throw new AssertionError("ferry docker-plugin exited: " + plugin.errorLines() + plugin.outputLines());
      }
      if (Files.exists(socket)) {
        try {
          return post(socket, "Plugin.Activate", "");
        } catch (IOException e) {
          // listening not yet
        }
      }
      Shell.pause(50);
    }
    throw new AssertionError("ferry docker-plugin did not listen on " + socket + ": " + plugin.errorLines());
  }

  /** What dockerd's plugin client sends: POST /Call, the plugin media type, a JSON body with its length. */
  static Reply post(Path socket, String call, String body) throws IOException {
    byte[] payload = body.getBytes(StandardCharsets.UTF_8);
    String head = "POST /" + call + " HTTP/1.1\r\nHost: plugin\r\nUser-Agent: Go-http-client/1.1\r\n"
        + "Accept: application/vnd.docker.plugins.v1.2+json\r\nContent-Type: application/vnd.docker.plugins.v1.2+json\r\n"
        + "Content-Length: " + payload.length + "\r\nConnection: close\r\n\r\n";
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
      ch.write(ByteBuffer.wrap(payload));
      ByteBuffer buf = ByteBuffer.allocate(8192);
      while (ch.read(buf) >= 0) {
        buf.flip();
        raw.write(buf.array(), 0, buf.limit());
        buf.clear();
      }
    }
    String text = raw.toString(StandardCharsets.UTF_8);
    int split = text.indexOf("\r\n\r\n");
    String headers = text.substring(0, split);
    String content = text.substring(split + 4);
    if (headers.toLowerCase().contains("transfer-encoding: chunked")) {
      content = dechunk(content);
    }
    int status = Integer.parseInt(headers.split(" ")[1]);
    return new Reply(status, content.isBlank() ? JSON.createObjectNode() : JSON.readTree(content));
  }

  private static String dechunk(String s) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (true) {
      int eol = s.indexOf("\r\n", i);
      int size = Integer.parseInt(s.substring(i, eol).trim(), 16);
      if (size == 0) {
        return out.toString();
      }
      out.append(s, eol + 2, eol + 2 + size);
      i = eol + 2 + size + 2;
    }
  }

  private static JsonNode portWithName(OpsLab ops, String name) {
    for (JsonNode p : ops.api.get("/v1/ports")) {
      if (name.equals(p.path("name").asText())) {
        return p;
      }
    }
    throw new AssertionError("no port named " + name + " in " + ops.api.get("/v1/ports"));
  }
}
