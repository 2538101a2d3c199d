package dev.ferry.tests.demo;

import dev.ferry.controller.PortInUse;
import dev.ferry.tests.lab.CapturedPacket;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabContainer;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.scenario.OverlayLab;
import dev.ferry.tests.scenario.TempDir;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code ./ferry demo}: the seed note's overlay, built by Ferry on real Open vSwitch on this
 * machine. Two hosts (underlay 192.168.5.2 and .3) in lab namespaces, tenant VNI 100 with the
 * note's containers, tenant VNI 200 with its own subnet, and a third tenant that reuses VNI
 * 100's CIDR and addresses. Shows what works and what is isolated, then tears it all down.
 */
public final class SeedDemo {
  private int failures;

  public static void main(String[] args) throws Exception {
    Optional<String> missing = Lab.unavailableReason();
    if (missing.isPresent()) {
      System.err.println("ferry demo needs root and Open vSwitch: " + missing.get());
      System.err.println("On Debian/Ubuntu: sudo apt-get install -y openvswitch-switch iproute2 "
          + "iputils-ping tcpdump ethtool arping, then run: sudo ./ferry demo");
      System.exit(2);
    }
    try {
      int failures = new SeedDemo().run();
      System.exit(failures == 0 ? 0 : 1);
    } catch (PortInUse e) {
      // Typically ./ferry run, whose 0.0.0.0:6653 covers the lab's controller address too.
      System.err.println("ferry demo: " + e.getMessage());
      System.err.println("The demo starts its own Ferry on OpenFlow port " + Lab.CONTROLLER_PORT
          + "; run it when nothing else listens there.");
      System.exit(1);
    }
  }

  private int run() throws Exception {
    try (TempDir data = new TempDir("ferry-demo"); Lab lab = Lab.start();
        OverlayLab ferry = OverlayLab.start(lab, data.path())) {
      say("Ferry is running: OpenFlow on %s:6653, REST on http://127.0.0.1:%d/v1",
          lab.controllerIp(), ferry.ferry().restPort());
      say("Building two hosts (one OVS each, br-int in secure fail mode, one flow-based VXLAN port)");
      List<LabHost> hosts = ferry.addHosts("host1", "host2");
      LabHost h1 = hosts.get(0);
      LabHost h2 = hosts.get(1);
      for (LabHost h : hosts) {
        say("  POST /v1/hosts {name: %s, datapath_id: %s, tunnel_ip: %s}  -> connected",
            h.name(), h.datapathIdHex(), h.tunnelIp());
      }
      var api = ferry.api();
      String n100 = api.createNetwork(api.createTenant("tenant-100"), "net-100", 100, "172.17.42.0/24");
      String n200 = api.createNetwork(api.createTenant("tenant-200"), "net-200", 200, "172.17.50.0/24");
      String n300 = api.createNetwork(api.createTenant("tenant-300"), "net-300", 300, "172.17.42.0/24");
      say("Tenants: tenant-100 (VNI 100, 172.17.42.0/24), tenant-200 (VNI 200, 172.17.50.0/24),");
      say("         tenant-300 (VNI 300, 172.17.42.0/24 again, the same addresses as tenant-100)");
      LabContainer a1 = ferry.addContainer(h1, n100, "a1", "02:00:ac:11:2a:02", "172.17.42.2/24");
      LabContainer a2 = ferry.addContainer(h2, n100, "a2", "02:00:ac:11:2a:0a", "172.17.42.10/24");
      LabContainer b1 = ferry.addContainer(h1, n200, "b1", "02:00:ac:11:32:02", "172.17.50.2/24");
      LabContainer b2 = ferry.addContainer(h2, n200, "b2", "02:00:ac:11:32:0a", "172.17.50.10/24");
      LabContainer c1 = ferry.addContainer(h1, n300, "c1", "02:00:ac:11:2a:02", "172.17.42.2/24");
      LabContainer c2 = ferry.addContainer(h2, n300, "c2", "02:00:ac:11:2c:0a", "172.17.42.10/24");
      ferry.converge();
      say("Containers: a1 172.17.42.2@host1, a2 172.17.42.10@host2 (tenant-100); b1 172.17.50.2@host1,"
          + " b2 172.17.50.10@host2 (tenant-200); c1 172.17.42.2@host1, c2 172.17.42.10@host2 (tenant-300,"
          + " c1 even has a1's MAC)");
      for (LabHost h : hosts) {
        say("  %s holds %d Ferry flows", h.name(), h.dumpFlows().size());
      }

      say("\nWhat works:");
      expect("a1 -> a2 across hosts (tenant-100)", a1.ping(a2.ip(), 3, 10) == 3);
      expect("b1 -> b2 across hosts (tenant-200)", b1.ping(b2.ip(), 3, 10) == 3);
      expect("c1 -> c2 across hosts (tenant-300, same addresses as tenant-100)", c1.ping(c2.ip(), 3, 10) == 3);
      expect("a1 learns a2's MAC by ARP, answered by Ferry", a1.arping(a2.ip(), 1) >= 1);
      List<CapturedPacket> wire = CapturedPacket.parseAll(lab.captureUnderlay("udp port 4789", () -> {
        a1.ping(a2.ip(), 1, 5);
        b1.ping(b2.ip(), 1, 5);
        c1.ping(c2.ip(), 1, 5);
      }));
      TreeSet<Integer> vnis = wire.stream().filter(CapturedPacket::isVxlan)
          .map(p -> p.vni().getAsInt()).collect(Collectors.toCollection(TreeSet::new));
      expect("the underlay carries VXLAN with VNIs " + vnis, vnis.equals(new TreeSet<>(List.of(100, 200, 300))));

      say("\nWhat is isolated:");
      expect("a1 cannot reach b2 (another tenant)", a1.ping(b2.ip(), 2, 2) == 0);
      expect("b1 gets no ARP answer for a2's address", b1.arping(a2.ip(), 1) == 0);
      var c2Capture = c2.startCapture("icmp");
      boolean a2Reached = a1.ping(a2.ip(), 2, 5) == 2;
      boolean c2Quiet = c2Capture.stop().stream().allMatch(String::isBlank);
      expect("a1 -> 172.17.42.10 reaches a2, never c2 (same IP in tenant-300)", a2Reached && c2Quiet);
      a1.setMac("02:00:00:00:66:66");
      expect("a1 with a spoofed MAC reaches no one", a1.ping(a2.ip(), 2, 2) == 0);

      say("\nTearing down the lab (namespaces, OVS daemons, links)...");
    }
    say(failures == 0 ? "Demo finished: everything behaved." : "Demo finished with " + failures + " surprise(s).");
    return failures;
  }

  private void expect(String what, boolean ok) {
    if (!ok) {
      failures++;
    }
    say("  [%s] %s", ok ? " ok " : "FAIL", what);
  }

  private static void say(String format, Object... args) {
    System.out.println(args.length == 0 ? format : String.format(format, args));
  }
}
