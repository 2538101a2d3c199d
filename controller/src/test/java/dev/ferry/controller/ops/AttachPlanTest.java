package dev.ferry.controller.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttachPlanTest {
  final Vsctl vsctl = new Vsctl(Commands.SYSTEM, "unix:/tmp/x/db.sock");

  @Test
  void aNamedNamespaceGetsEth0WithAddressRouteMtuAndTxOffloadOff() {
    AttachSpec s = new AttachSpec(NetnsTarget.named("c1"), "fyabc", "fcabc", "02:00:00:00:00:01",
        "10.0.0.5", 24, "10.0.0.1", 1450, false);
    List<List<String>> plan = AttachPlan.commands(s, vsctl, null);
    assertEquals(List.of(
        List.of("ip", "link", "add", "fyabc", "mtu", "1450", "type", "veth", "peer", "name", "fcabc", "mtu", "1450"),
        List.of("ip", "link", "set", "fcabc", "netns", "c1"),
        List.of("ip", "netns", "exec", "c1", "ip", "link", "set", "fcabc", "name", "eth0"),
        List.of("ip", "netns", "exec", "c1", "ip", "link", "set", "eth0", "address", "02:00:00:00:00:01"),
        List.of("ip", "netns", "exec", "c1", "ip", "link", "set", "lo", "up"),
        List.of("ip", "netns", "exec", "c1", "ip", "link", "set", "eth0", "up"),
        List.of("ip", "netns", "exec", "c1", "ethtool", "-K", "eth0", "tx", "off"),
        List.of("ip", "link", "set", "fyabc", "up"),
        List.of("ovs-vsctl", "--db=unix:/tmp/x/db.sock", "--timeout=30", "--may-exist", "add-port", "br-int", "fyabc"),
        List.of("ip", "netns", "exec", "c1", "ip", "addr", "add", "10.0.0.5/24", "dev", "eth0"),
        List.of("ip", "netns", "exec", "c1", "ip", "route", "replace", "default", "via", "10.0.0.1", "dev", "eth0")),
        plan);
  }

  @Test
  void dhcpRunsUdhcpcInsteadOfStaticAddresses() {
    AttachSpec s = new AttachSpec(NetnsTarget.named("c1"), "fyabc", "fcabc", "02:00:00:00:00:01",
        "10.0.0.5", 24, "10.0.0.1", 1450, true);
    List<List<String>> plan = AttachPlan.commands(s, vsctl, "/tmp/script.sh");
    assertEquals(List.of("ip", "netns", "exec", "c1", "busybox", "udhcpc", "-i", "eth0", "-q", "-n", "-t", "5",
        "-s", "/tmp/script.sh"), plan.get(plan.size() - 1));
    assertTrue(plan.stream().noneMatch(c -> c.contains("addr")));
  }

  @Test
  void aDockerContainerIsEnteredThroughItsInitPid() {
    List<List<String>> asked = new ArrayList<>();
    Commands docker = c -> {
      asked.add(c);
      return new Commands.Result(c, 0, "4242\n", "");
    };
    NetnsTarget t = NetnsTarget.docker("web", docker).orElseThrow();
    assertEquals(List.of(List.of("docker", "inspect", "-f", "{{.State.Pid}}", "web")), asked);
    AttachSpec s = new AttachSpec(t, "fyabc", "fcabc", "02:00:00:00:00:01", "10.0.0.5", 24, null, 1450, false);
    List<List<String>> plan = AttachPlan.commands(s, vsctl, null);
    assertEquals(List.of("ip", "link", "set", "fcabc", "netns", "4242"), plan.get(1));
    assertEquals(List.of("nsenter", "--net=/proc/4242/ns/net", "ip", "link", "set", "fcabc", "name", "eth0"), plan.get(2));
    assertTrue(plan.stream().noneMatch(c -> c.contains("route")), "no gateway, no default route");
  }

  @Test
  void aStoppedOrMissingContainerHasNoNamespace() {
    Commands stopped = c -> new Commands.Result(c, 0, "0\n", "");
    Commands missing = c -> new Commands.Result(c, 1, "", "Error: No such object: web");
    assertTrue(NetnsTarget.docker("web", stopped).isEmpty());
    assertTrue(NetnsTarget.docker("web", missing).isEmpty());
  }

  @Test
  void linkNamesFitTheKernelsFifteenCharacters() {
    String host = OpsNames.hostLink("8f2d6c1e-aaaa-bbbb-cccc-000000000000", "a-very-long-container-name-indeed");
    assertTrue(host.length() <= 15, host);
    assertEquals(host, OpsNames.hostLink("8f2d6c1e-aaaa-bbbb-cccc-000000000000", "a-very-long-container-name-indeed"));
    assertTrue(!host.equals(OpsNames.hostLink("other", "a-very-long-container-name-indeed")));
  }

  @Test
  void detachTolerantCommands() {
    assertEquals(List.of("ovs-vsctl", "--db=unix:/tmp/x/db.sock", "--timeout=30", "--if-exists", "del-port", "br-int", "fyabc"),
        AttachPlan.undo("fyabc", vsctl).get(0));
  }

  @Test
  void hostRegistrationChangesOnlyWhatDiffers() {
    var m = new ObjectMapper();
    var existing = m.valueToTree(Map.of("name", "h1", "datapath_id", "00000000000000aa", "tunnel_ip", "192.168.5.2"));
    assertEquals(Map.of(), HostRegistration.changes(existing, "00000000000000AA", "192.168.5.2"));
    assertEquals(Map.of("tunnel_ip", "192.168.5.9"), HostRegistration.changes(existing, "00000000000000aa", "192.168.5.9"));
  }
}
