package dev.ferry.apps.testing;

import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.model.Tenant;
import java.util.List;
import java.util.Map;

/**
 * The seed note's lab as a model: hosts 192.168.5.2 and .3; tenant A (VNI 100) and tenant B
 * (VNI 200) both on 172.17.42.0/24, each with .2 on host1 and .10 on host2 (so the same IPs
 * exist twice). Port a3 is placed on host1 but not bound; b2 has port security off.
 */
public final class SeedScenario {
  public static final Host HOST1 = new Host("host1", 1, "192.168.5.2", null, 1);
  public static final Host HOST2 = new Host("host2", 2, "192.168.5.3", null, 1);
  public static final Network NET_A = network("net-a", "tenant-a", 100);
  public static final Network NET_B = network("net-b", "tenant-b", 200);
  public static final Port A1 = port("a1", NET_A, "02:00:00:00:a0:02", "172.17.42.2", HOST1, "veth-a1", true);
  public static final Port A2 = port("a2", NET_A, "02:00:00:00:a0:0a", "172.17.42.10", HOST2, "veth-a2", true);
  public static final Port A3 = port("a3", NET_A, "02:00:00:00:a0:03", "172.17.42.3", HOST1, "veth-a3", true);
  public static final Port B1 = port("b1", NET_B, "02:00:00:00:b0:02", "172.17.42.2", HOST1, "veth-b1", true);
  public static final Port B2 = port("b2", NET_B, "02:00:00:00:b0:0a", "172.17.42.10", HOST2, "veth-b2", false);

  public static final Model MODEL = Model.of(
      List.of(new Tenant("tenant-a", "A", 1), new Tenant("tenant-b", "B", 1)),
      List.of(NET_A, NET_B),
      List.of(A1, A2, A3, B1, B2),
      List.of(HOST1, HOST2),
      List.of()).withDefaultGroups();

  public static final Bindings BINDINGS = new Bindings(Map.of(
      "host1", Map.of("vxlan0", 1, "veth-a1", 2, "veth-b1", 3),
      "host2", Map.of("vxlan0", 1, "veth-a2", 2, "veth-b2", 3)));

  /** The seed plus a second network of tenant A (VNI 101, 10.0.1.0/24) to route to. */
  public static final Network NET_A2 = new Network("net-a2", "tenant-a", "net-a2", 101,
      "10.0.1.0/24", "10.0.1.1", true, 1450, List.of(), null, 1);
  public static final Port A4 = port("a4", NET_A2, "02:00:00:00:a1:05", "10.0.1.5", HOST2, "veth-a4", true);
  public static final Model ROUTED_MODEL = Model.of(
      MODEL.tenants().values(),
      List.of(NET_A, NET_B, NET_A2),
      List.of(A1, A2, A3, B1, B2, A4),
      List.of(HOST1, HOST2),
      List.of()).withDefaultGroups();
  public static final Bindings ROUTED_BINDINGS = new Bindings(Map.of(
      "host1", Map.of("vxlan0", 1, "veth-a1", 2, "veth-b1", 3),
      "host2", Map.of("vxlan0", 1, "veth-a2", 2, "veth-b2", 3, "veth-a4", 4)));

  /**
   * North-south: host1 has an uplink (OpenFlow port 9, 203.0.113.11/24 via 203.0.113.1, next
   * hop resolved), A1 has floating IP 203.0.113.100, A3 and B1 (same address as A1, other
   * tenant) go out by SNAT.
   */
  public static final Host HOST1_UPLINK = new Host("host1", 1, "192.168.5.2",
      new Host.Uplink("uplink0", "203.0.113.11/24", "203.0.113.1"), 1);
  public static final Model NORTH_SOUTH_MODEL = Model.of(
      MODEL.tenants().values(),
      List.of(NET_A, NET_B),
      List.of(A1, A2, A3, B1, B2),
      List.of(HOST1_UPLINK, HOST2),
      List.of(new dev.ferry.apps.model.FloatingIp("fip-1", "tenant-a", "203.0.113.100", "a1", 1)))
      .withDefaultGroups().withRules(List.of(
          // as a Neutron user opens a floating IP's port to the outside
          rule("open-a", "default-tenant-a", "ingress", null, null, null, "0.0.0.0/0", null)));

  /**
   * Security groups beyond the default: tenant A's group "web" (A1 in default and web, A3 in
   * web only) allows tcp/80 from its own members, tcp 1000-1999 from 10.0.0.0/8, echo requests
   * from anywhere, and egress udp/53 only.
   */
  public static final Model SECURED_MODEL = Model.of(
      MODEL.tenants().values(),
      List.of(NET_A, NET_B),
      List.of(grouped(A1, "default-tenant-a", "web"), A2, grouped(A3, "web"), B1, B2),
      List.of(HOST1, HOST2),
      List.of()).withDefaultGroups().withGroupsAndRules(
          List.of(new dev.ferry.apps.model.SecurityGroup("web", "tenant-a", "web", null, 1)),
          List.of(rule("web-80", "web", "ingress", 6, 80, 80, null, "web"),
              rule("web-1000s", "web", "ingress", 6, 1000, 1999, "10.0.0.0/8", null),
              rule("web-ping", "web", "ingress", 1, null, null, null, null),
              rule("web-dns", "web", "egress", 17, 53, 53, null, null)));
  public static final Bindings SECURED_BINDINGS = new Bindings(Map.of(
      "host1", Map.of("vxlan0", 1, "veth-a1", 2, "veth-b1", 3, "veth-a3", 4),
      "host2", Map.of("vxlan0", 1, "veth-a2", 2, "veth-b2", 3)));

  public static dev.ferry.apps.model.SecurityGroupRule rule(String id, String group, String direction,
      Integer protocol, Integer min, Integer max, String prefix, String remoteGroup) {
    return new dev.ferry.apps.model.SecurityGroupRule(id, group, direction, protocol, min, max, null, null,
        prefix, remoteGroup, 1);
  }

  public static Port grouped(Port p, String... groups) {
    return new Port(p.id(), p.networkId(), p.name(), p.mac(), p.ip(), p.host(), p.interfaceName(),
        p.portSecurity(), List.of(groups), p.revision());
  }
  public static final Bindings NORTH_SOUTH_BINDINGS = new Bindings(Map.of(
      "host1", Map.of("vxlan0", 1, "veth-a1", 2, "veth-b1", 3, "veth-a3", 4, "uplink0", 9),
      "host2", Map.of("vxlan0", 1, "veth-a2", 2, "veth-b2", 3)));
  public static final dev.ferry.apps.nat.NextHops NEXT_HOPS = new dev.ferry.apps.nat.NextHops(
      Map.of("host1", org.projectfloodlight.openflow.types.MacAddress.of("02:aa:00:00:00:01")));

  private SeedScenario() {}

  public static Network network(String id, String tenant, int vni) {
    return new Network(id, tenant, id, vni, "172.17.42.0/24", "172.17.42.1", true, 1450,
        List.of("8.8.8.8"), null, 1);
  }

  public static Port port(String id, Network n, String mac, String ip, Host host, String iface,
      boolean secure) {
    return new Port(id, n.id(), id, mac, ip, host.name(), iface, secure, 1);
  }
}
