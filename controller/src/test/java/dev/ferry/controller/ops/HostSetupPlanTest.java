package dev.ferry.controller.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostSetupPlanTest {
  static final HostSetupSpec WANT = new HostSetupSpec("netdev", "00000000000000aa", List.of("tcp:10.0.0.1:6653"));

  @Test
  void anEmptyDatabaseGetsBridgeControllerAndTunnelInOneTransaction() {
    List<List<String>> plan = HostSetupPlan.plan(OvsState.EMPTY, WANT);
    assertEquals(List.of(
        List.of("add-br", "br-int"),
        List.of("set", "bridge", "br-int", "datapath_type=netdev", "fail_mode=secure", "protocols=OpenFlow13",
            "other-config:datapath-id=00000000000000aa"),
        List.of("--id=@c0", "create", "controller", "target=\"tcp:10.0.0.1:6653\"", "connection_mode=out-of-band"),
        List.of("set", "bridge", "br-int", "controller=[@c0]"),
        List.of("--may-exist", "add-port", "br-int", "vxlan0"),
        List.of("set", "interface", "vxlan0", "type=vxlan", "options:key=flow", "options:remote_ip=flow")), plan);
  }

  @Test
  void aHostThatIsRightNeedsNothing() {
    assertEquals(List.of(), HostSetupPlan.plan(OvsState.of(WANT), WANT));
  }

  @Test
  void theKernelDatapathIsTheSameWhetherSpelledSystemOrEmpty() {
    HostSetupSpec kernel = new HostSetupSpec("system", WANT.datapathId(), WANT.controllers());
    OvsState now = withDatapathType(OvsState.of(kernel), "");
    assertEquals(List.of(), HostSetupPlan.plan(now, kernel));
  }

  @Test
  void onlyTheFieldsThatDifferAreSet() {
    OvsState now = OvsState.of(WANT);
    now = new OvsState(true, now.datapathType(), "standalone", "OpenFlow10", now.datapathId(), now.controllers(),
        true, "vxlan", now.tunnelOptions());
    assertEquals(List.of(List.of("set", "bridge", "br-int", "fail_mode=secure", "protocols=OpenFlow13")),
        HostSetupPlan.plan(now, WANT));
  }

  @Test
  void aWrongControllerSetOrModeIsReplacedAsAWhole() {
    OvsState inBand = withControllers(OvsState.of(WANT), Map.of("tcp:10.0.0.1:6653", ""));
    HostSetupSpec two = new HostSetupSpec("netdev", WANT.datapathId(), List.of("tcp:10.0.0.1:6653", "ssl:10.0.0.2:6654"));
    List<List<String>> expectTwo = List.of(
        List.of("--id=@c0", "create", "controller", "target=\"ssl:10.0.0.2:6654\"", "connection_mode=out-of-band"),
        List.of("--id=@c1", "create", "controller", "target=\"tcp:10.0.0.1:6653\"", "connection_mode=out-of-band"),
        List.of("set", "bridge", "br-int", "controller=[@c0,@c1]"));
    assertEquals(expectTwo, HostSetupPlan.plan(inBand, two));
    assertEquals(2, HostSetupPlan.plan(OvsState.of(two), WANT).size(), "one controller fewer is a change too (create + set)");
  }

  @Test
  void aTunnelPortWithWrongOptionsIsFixedButExtraOptionsStay() {
    OvsState wrong = withTunnel(OvsState.of(WANT), Map.of("key", "100", "remote_ip", "flow"));
    assertEquals(List.of(List.of("set", "interface", "vxlan0", "type=vxlan", "options:key=flow", "options:remote_ip=flow")),
        HostSetupPlan.plan(wrong, WANT));
    OvsState extra = withTunnel(OvsState.of(WANT), Map.of("key", "flow", "remote_ip", "flow", "dst_port", "4790"));
    assertEquals(List.of(), HostSetupPlan.plan(extra, WANT));
  }

  @Test
  void aNewDatapathIdIsOneSet() {
    HostSetupSpec other = new HostSetupSpec("netdev", "00000000000000bb", WANT.controllers());
    assertEquals(List.of(List.of("set", "bridge", "br-int", "other-config:datapath-id=00000000000000bb")),
        HostSetupPlan.plan(OvsState.of(WANT), other));
  }

  @Test
  void badTargetsAndIdsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new HostSetupSpec("netdev", "aa", WANT.controllers()));
    assertThrows(IllegalArgumentException.class, () -> new HostSetupSpec("netdev", WANT.datapathId(), List.of("10.0.0.1")));
    assertThrows(IllegalArgumentException.class, () -> new HostSetupSpec("netdev", WANT.datapathId(), List.of()));
  }

  @Test
  void derivedDatapathIdsAreStableAndDiffer() {
    assertEquals(HostIdentity.derivedDatapathId("h1"), HostIdentity.derivedDatapathId("h1"));
    assertEquals(16, HostIdentity.derivedDatapathId("h1").length());
    assertEquals(false, HostIdentity.derivedDatapathId("h1").equals(HostIdentity.derivedDatapathId("h2")));
    assertEquals("0000000000000001", HostIdentity.normalizeDatapathId("1"));
    assertEquals("00000000000000ab", HostIdentity.normalizeDatapathId("00:00:00:00:00:00:00:AB"));
  }

  @Test
  void datapathTypeFollowsTheKernelModule() {
    Commands modprobeFails = c -> new Commands.Result(c, 1, "", "not found");
    Commands modprobeWorks = c -> new Commands.Result(c, 0, "insmod ...", "");
    assertEquals("system", HostIdentity.datapathType(p -> true, modprobeFails));
    assertEquals("system", HostIdentity.datapathType(p -> false, modprobeWorks));
    assertEquals("netdev", HostIdentity.datapathType(p -> false, modprobeFails));
  }

  @Test
  void vsctlJsonIsRead() {
    String json = "{\"data\":[[\"br-int\",\"netdev\",[\"set\",[]],[\"map\",[[\"datapath-id\",\"00000000000000aa\"]]],"
        + "[\"set\",[[\"uuid\",\"u1\"],[\"uuid\",\"u2\"]]]]],\"headings\":[\"name\",\"datapath_type\",\"fail_mode\",\"other_config\",\"controller\"]}";
    var row = Vsctl.rows(json).get(0);
    assertEquals("netdev", Vsctl.text(row.get("datapath_type")));
    assertEquals("", Vsctl.text(row.get("fail_mode")));
    assertEquals(Map.of("datapath-id", "00000000000000aa"), Vsctl.map(row.get("other_config")));
    assertEquals(List.of("u1", "u2"), Vsctl.uuids(row.get("controller")));
  }

  private static OvsState withDatapathType(OvsState s, String type) {
    return new OvsState(true, type, s.failMode(), s.protocols(), s.datapathId(), s.controllers(),
        s.tunnelPortOnBridge(), s.tunnelType(), s.tunnelOptions());
  }

  private static OvsState withControllers(OvsState s, Map<String, String> controllers) {
    return new OvsState(true, s.datapathType(), s.failMode(), s.protocols(), s.datapathId(), controllers,
        s.tunnelPortOnBridge(), s.tunnelType(), s.tunnelOptions());
  }

  private static OvsState withTunnel(OvsState s, Map<String, String> options) {
    return new OvsState(true, s.datapathType(), s.failMode(), s.protocols(), s.datapathId(), s.controllers(),
        true, "vxlan", options);
  }
}
