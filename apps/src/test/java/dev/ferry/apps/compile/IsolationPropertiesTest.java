package dev.ferry.apps.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.apps.gateway.GatewayMac;
import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.pipeline.NetworkMetadata;
import dev.ferry.apps.testing.Fabric;
import dev.ferry.apps.testing.RandomModels;
import dev.ferry.apps.trace.Packet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import dev.ferry.apps.arp.ArpResponder;
import dev.ferry.apps.packet.ArpPacket;
import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.ICMPv4Code;
import org.projectfloodlight.openflow.types.ICMPv4Type;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * Behaviour over random, deliberately colliding models, traced through every host's compiled
 * flows wired by an ideal underlay: what a port sends reaches only its own network.
 */
class IsolationPropertiesTest {
  private static final String BROADCAST = "ff:ff:ff:ff:ff:ff";
  private static final String FOREIGN_MAC = "02:99:99:99:99:99";

  static Stream<Long> seeds() {
    return LongStream.range(0, 100).boxed();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void unicastReachesOnlyTheAddressedPortOfTheSameNetwork(long seed) {
    World w = new World(seed);
    for (Port src : w.boundPorts()) {
      for (Port dst : w.model.ports().values()) {
        Fabric.Result r = w.fabric.sendFrom(src, p -> p.eth(src.mac(), dst.mac())
            .ipv4(src.ip(), dst.ip()));
        assertStaysInNetwork(w, src, r);
        Set<String> expected = w.bound(dst) && dst.networkId().equals(src.networkId())
            && !dst.id().equals(src.id()) ? Set.of(dst.id()) : Set.of();
        if (!dst.networkId().equals(src.networkId()) && !w.macInNetwork(dst.mac(), src)) {
          expected = Set.of();
        } else if (!dst.networkId().equals(src.networkId())) {
          continue; // dst's MAC also belongs to a port of src's network: covered by that port
        }
        assertEquals(expected, deliveredIds(r), "seed " + seed + " " + src.id() + "->" + dst.id());
        assertEquals(expected.size(), r.deliveries().size(), "delivered exactly once");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void broadcastReachesExactlyTheNetworksOtherBoundPorts(long seed) {
    World w = new World(seed);
    for (Port src : w.boundPorts()) {
      Fabric.Result r = w.fabric.sendFrom(src, p -> p.eth(src.mac(), BROADCAST)
          .ipv4(src.ip(), "255.255.255.255"));
      assertStaysInNetwork(w, src, r);
      Set<String> expected = w.boundPorts().stream()
          .filter(p -> p.networkId().equals(src.networkId()) && !p.id().equals(src.id()))
          .map(Port::id).collect(Collectors.toSet());
      assertEquals(expected, deliveredIds(r), "seed " + seed + " from " + src.id());
      assertEquals(expected.size(), r.deliveries().size(), "each port exactly once");
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void spoofedSourcesOfSecuredPortsAreDropped(long seed) {
    World w = new World(seed);
    for (Port src : w.boundPorts().stream().filter(Port::portSecurity).toList()) {
      assertDropped(w.fabric.sendFrom(src, p -> p.eth(FOREIGN_MAC, BROADCAST)
          .ipv4(src.ip(), "255.255.255.255")));
      assertDropped(w.fabric.sendFrom(src, p -> p.eth(src.mac(), BROADCAST)
          .ipv4("10.9.9.9", "255.255.255.255")));
      assertDropped(w.fabric.sendFrom(src, p -> p.eth(src.mac(), BROADCAST)
          .arp(1, src.mac(), "10.9.9.9", src.ip())));
      assertDropped(w.fabric.sendFrom(src, p -> p.eth(src.mac(), BROADCAST)
          .arp(1, FOREIGN_MAC, src.ip(), "10.0.0.1")));
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void unsecuredPortsSpoofingStillStayInTheirNetwork(long seed) {
    World w = new World(seed);
    for (Port src : w.boundPorts().stream().filter(p -> !p.portSecurity()).toList()) {
      for (Port other : w.model.ports().values()) {
        assertStaysInNetwork(w, src, w.fabric.sendFrom(src, p -> p.eth(other.mac(), BROADCAST)
            .ipv4(other.ip(), "255.255.255.255")));
      }
    }
  }

  /**
   * Every ARP request is answered by the datapath exactly when, and exactly as, the controller's
   * ArpResponder would answer it (the sender's network only, never its own address), straight
   * back to the sender; nothing is flooded and nothing goes to the controller.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void arpRequestsAreAnsweredInTheDatapathExactlyAsTheControllerWould(long seed) {
    World w = new World(seed);
    Set<String> asked = new java.util.TreeSet<>(List.of("10.0.0.5", "10.250.0.1"));
    w.model.ports().values().forEach(p -> asked.add(p.ip()));
    w.model.networks().values().stream().filter(n -> n.gatewayIp() != null)
        .forEach(n -> asked.add(n.gatewayIp()));
    for (Port src : w.boundPorts()) {
      for (String tpa : asked) {
        Fabric.Result r = w.fabric.sendFrom(src, p -> p.eth(src.mac(), BROADCAST)
            .arp(1, src.mac(), src.ip(), tpa));
        assertTrue(r.packetIns().isEmpty() && r.tunnelled().isEmpty(), "ARP stays in the datapath");
        byte[] request = new ArpPacket(MacAddress.of(src.mac()), MacAddress.BROADCAST, 1,
            MacAddress.of(src.mac()), IPv4Address.of(src.ip()), MacAddress.NONE,
            IPv4Address.of(tpa)).toFrame();
        var expected = ArpResponder.answer(w.model, w.network(src), request).flatMap(ArpPacket::parse);
        String what = "seed " + seed + " " + src.id() + " asks " + tpa;
        if (expected.isEmpty()) {
          assertTrue(r.deliveries().isEmpty(), what + ": no answer expected, got " + r);
          continue;
        }
        assertEquals(1, r.deliveries().size(), what);
        Fabric.Delivery d = r.deliveries().get(0);
        assertEquals(src.id(), d.port().orElseThrow().id(), what + ": back to the sender");
        ArpPacket want = expected.get();
        Packet got = d.packet();
        assertEquals(want.ethDst(), got.get(MatchField.ETH_DST), what);
        assertEquals(want.ethSrc(), got.get(MatchField.ETH_SRC), what);
        assertEquals(ArpOpcode.REPLY, got.get(MatchField.ARP_OP), what);
        assertEquals(want.sha(), got.get(MatchField.ARP_SHA), what);
        assertEquals(want.spa(), got.get(MatchField.ARP_SPA), what);
        assertEquals(want.tha(), got.get(MatchField.ARP_THA), what);
        assertEquals(want.tpa(), got.get(MatchField.ARP_TPA), what);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void tunnelTrafficReachesOnlyLocalPortsOfItsVniAndNeverReturnsToTheTunnel(long seed) {
    World w = new World(seed);
    for (Host h : w.model.hosts().values()) {
      for (Network n : w.model.networks().values()) {
        Fabric.Result r = w.fabric.send(h.name(), Packet.at(1).tunnel(n.vni())
            .eth(FOREIGN_MAC, BROADCAST).ipv4("10.0.0.99", "255.255.255.255"));
        assertTrue(r.tunnelled().isEmpty(), "split horizon");
        Set<String> expected = w.boundPorts().stream()
            .filter(p -> p.networkId().equals(n.id()) && p.host().equals(h.name()))
            .map(Port::id).collect(Collectors.toSet());
        assertEquals(expected, deliveredIds(r));
      }
    }
  }

  /**
   * What a port sends reaches only its tenant: its own network, or (routed: source MAC is the
   * target network's gateway) another network its router connects. Tunnelled copies carry the
   * VNI of such a network, towards a host with ports of it.
   */
  private static void assertStaysInNetwork(World w, Port src, Fabric.Result r) {
    Network net = w.network(src);
    for (Fabric.Delivery d : r.deliveries()) {
      assertTrue(d.port().isPresent(), "delivered to a port Ferry does not know: " + d);
      Network to = w.network(d.port().get());
      assertTrue(to.id().equals(net.id()) || routedInto(w, net, to, d.packet()),
          "leaked from " + net.id() + " to " + to.id());
      assertTrue(!d.port().get().id().equals(src.id()), "sent back to its sender");
    }
    for (var out : r.tunnelled()) {
      Network to = w.byVni((int) out.packet().tunnelId());
      assertTrue(to.id().equals(net.id()) || TenantRoutes.targets(w.model, net).contains(to),
          "left with another tenant's VNI " + out.packet().tunnelId());
      assertTrue(w.hostsWithPortsOf(to).contains(out.packet().tunnelDst()),
          "tunnelled to a host without ports of the network");
    }
    assertTrue(r.lost().isEmpty(), "tunnelled to an unknown host");
  }

  private static boolean routedInto(World w, Network from, Network to, Packet p) {
    return to.tenantId().equals(from.tenantId())
        && TenantRoutes.targets(w.model, from).contains(to)
        && p.get(MatchField.ETH_SRC).equals(GatewayMac.of(to));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void routedPacketsReachOnlyTheAddressInTheTenantsOtherRoutableNetworks(long seed) {
    World w = new World(seed);
    for (Port src : w.boundPorts()) {
      Network net = w.network(src);
      for (Port dst : w.model.ports().values()) {
        Fabric.Result r = w.fabric.sendFrom(src, p -> p.eth(src.mac(),
            GatewayMac.of(net).toString()).ipv4(src.ip(), dst.ip()));
        assertStaysInNetwork(w, src, r);
        List<Port> expected = w.boundPorts().stream()
            .filter(q -> q.ip().equals(dst.ip())
                && TenantRoutes.targets(w.model, net).contains(w.network(q))).toList();
        assertEquals(expected.stream().map(Port::id).collect(Collectors.toSet()), deliveredIds(r),
            "seed " + seed + " " + src.id() + " -> " + dst.ip());
        assertEquals(expected.size(), r.deliveries().size());
        for (Fabric.Delivery d : r.deliveries()) {
          assertEquals(MacAddress.of(d.port().get().mac()), d.packet().get(MatchField.ETH_DST));
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void dhcpGoesOnlyToTheController(long seed) {
    World w = new World(seed);
    for (Port src : w.boundPorts()) {
      Fabric.Result r = w.fabric.sendFrom(src, p -> p.eth(src.mac(), BROADCAST)
          .ipv4("0.0.0.0", "255.255.255.255").udp(68, 67));
      assertTrue(r.deliveries().isEmpty() && r.tunnelled().isEmpty());
      assertEquals(1, r.packetIns().size());
      assertEquals(w.network(src).vni(), NetworkMetadata.vniOf(r.packetIns().get(0).metadata()));
    }
  }

  /** A ping to the gateway comes back from it as an echo reply, without the controller. */
  @ParameterizedTest
  @MethodSource("seeds")
  void pingsToTheGatewayAreAnsweredInTheDatapath(long seed) {
    World w = new World(seed);
    for (Port src : w.boundPorts()) {
      Network net = w.network(src);
      if (net.gatewayIp() == null) {
        continue;
      }
      Fabric.Result r = w.fabric.sendFrom(src, p -> p.eth(src.mac(),
          GatewayMac.of(net).toString()).ipv4(src.ip(), net.gatewayIp())
          .with(MatchField.ICMPV4_TYPE, ICMPv4Type.ECHO)
          .with(MatchField.ICMPV4_CODE, ICMPv4Code.of((short) 0)));
      assertTrue(r.packetIns().isEmpty() && r.tunnelled().isEmpty());
      assertEquals(1, r.deliveries().size());
      Fabric.Delivery d = r.deliveries().get(0);
      assertEquals(src.id(), d.port().orElseThrow().id());
      assertEquals(MacAddress.of(src.mac()), d.packet().get(MatchField.ETH_DST));
      assertEquals(GatewayMac.of(net), d.packet().get(MatchField.ETH_SRC));
      assertEquals(IPv4Address.of(net.gatewayIp()), d.packet().get(MatchField.IPV4_SRC));
      assertEquals(IPv4Address.of(src.ip()), d.packet().get(MatchField.IPV4_DST));
      assertEquals(ICMPv4Type.ECHO_REPLY, d.packet().get(MatchField.ICMPV4_TYPE));
    }
  }

  private static void assertDropped(Fabric.Result r) {
    assertTrue(r.deliveries().isEmpty() && r.packetIns().isEmpty() && r.tunnelled().isEmpty(),
        "spoofed packet went somewhere: " + r);
  }

  private static Set<String> deliveredIds(Fabric.Result r) {
    return r.deliveries().stream().map(d -> d.port().orElseThrow().id())
        .collect(Collectors.toSet());
  }

  /** One random scenario with the questions the assertions ask of it. */
  private static final class World {
    final Model model;
    final Bindings bindings;
    final Fabric fabric;

    World(long seed) {
      RandomModels.Scenario s = RandomModels.generate(seed);
      model = s.model();
      bindings = s.bindings();
      fabric = new Fabric(model, bindings);
    }

    boolean bound(Port p) {
      return p.host() != null && bindings.ofPort(p.host(), p.interfaceName()).isPresent();
    }

    List<Port> boundPorts() {
      return model.ports().values().stream().filter(this::bound)
          .sorted(java.util.Comparator.comparing(Port::id)).toList();
    }

    Network byVni(int vni) {
      return model.networks().values().stream().filter(n -> n.vni() == vni).findFirst()
          .orElseThrow();
    }

    Network network(Port p) {
      return model.networks().get(p.networkId());
    }

    boolean macInNetwork(String mac, Port of) {
      return model.portsOf(of.networkId()).stream().anyMatch(p -> p.mac().equals(mac));
    }

    Set<String> hostsWithPortsOf(Network n) {
      return model.portsOf(n.id()).stream().filter(p -> p.host() != null)
          .map(p -> model.hosts().get(p.host()).tunnelIp()).collect(Collectors.toSet());
    }
  }
}
