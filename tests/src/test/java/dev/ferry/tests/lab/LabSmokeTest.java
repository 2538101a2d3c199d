package dev.ferry.tests.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two hosts, one container each, two static flows per host, no controller: VXLAN works. */
@ExtendWith(LabExtension.class)
class LabSmokeTest {
    private static final int VNI = 100;

    @Test
    void containersOnTwoHostsPingOverVxlanWithTheFlowsVni(Lab lab) {
        List<LabHost> hosts = lab.addHosts(HostSpec.named("h1").withoutController(), HostSpec.named("h2").withoutController());
        LabContainer a = hosts.get(0).addContainer("a", "02:00:00:00:01:01", "10.0.0.1/24");
        LabContainer b = hosts.get(1).addContainer("b", "02:00:00:00:01:02", "10.0.0.2/24");
        installStaticFlows(a, hosts.get(1));
        installStaticFlows(b, hosts.get(0));

        PacketCapture atB = b.startCapture("icmp");
        List<String> lines = lab.captureUnderlay("udp port 4789",
                () -> assertEquals(3, a.ping(b.ip(), 3, 10), "pings across hosts"));
        assertEquals(2, a.arping(b.ip(), 2), "ARP replies across hosts");

        List<CapturedPacket> packets = CapturedPacket.parseAll(lines);
        assertTrue(packets.stream().anyMatch(p -> p.vni().orElse(-1) == VNI
                        && p.line().contains("192.168.5.2.") && p.line().contains("192.168.5.3.4789")
                        && p.inner().contains("ICMP echo request")),
                "pings tunnelled in VXLAN with VNI " + VNI + " between the tunnel IPs: " + lines);
        assertTrue(packets.stream().filter(CapturedPacket::isVxlan).allMatch(p -> p.vni().getAsInt() == VNI), lines.toString());
        assertTrue(atB.stop().stream().anyMatch(l -> l.contains("10.0.0.1 > 10.0.0.2: ICMP echo request")),
                "b's eth0 sees a's echo requests");
    }

    @Test
    void tcpCrossesTheUserspaceDatapath(Lab lab) {
        List<LabHost> hosts = lab.addHosts(HostSpec.named("h1").withoutController(), HostSpec.named("h2").withoutController());
        LabContainer a = hosts.get(0).addContainer("a", "02:00:00:00:01:01", "10.0.0.1/24");
        LabContainer b = hosts.get(1).addContainer("b", "02:00:00:00:01:02", "10.0.0.2/24");
        installStaticFlows(a, hosts.get(1));
        installStaticFlows(b, hosts.get(0));
        LabProcess server = b.spawn("nc", "-l", "-N", "5000");
        waitForListener(b, 5000);

        Shell.Result client = a.exec("sh", "-c", "echo ferry-over-tcp | nc -N -w 5 " + b.ip() + " 5000");

        assertEquals(0, client.exitCode(), "nc client: " + client.err());
        assertEquals(0, server.waitFor(5000), "server got EOF and exited");
        assertEquals(List.of("ferry-over-tcp"), server.outputLines());
    }

    @Test
    void restartedVswitchdComesBackWithItsBridgesAndUnderlayAddress(Lab lab) {
        List<LabHost> hosts = lab.addHosts(HostSpec.named("h1").withoutController(), HostSpec.named("h2").withoutController());
        LabContainer a = hosts.get(0).addContainer("a", "02:00:00:00:01:01", "10.0.0.1/24");
        LabContainer b = hosts.get(1).addContainer("b", "02:00:00:00:01:02", "10.0.0.2/24");
        installStaticFlows(b, hosts.get(0));

        hosts.get(0).killVswitchd();
        hosts.get(0).restartVswitchd();

        assertTrue(hosts.get(0).dumpFlows().isEmpty(), "OpenFlow flows do not survive a vswitchd restart");
        installStaticFlows(a, hosts.get(1));
        assertEquals(3, a.ping(b.ip(), 3, 10), "pings after the restart and re-install");
    }

    /** The two flows of ovs-lab-facts.md: container -> VXLAN to the peer host, VNI 100 -> container. */
    static void installStaticFlows(LabContainer local, LabHost peer) {
        LabHost host = local.host();
        int vxlan = host.tunnelOfport();
        host.addFlow("in_port=" + local.ofport() + ",actions=set_field:" + VNI + "->tun_id,set_field:"
                + peer.tunnelIp() + "->tun_dst,output:" + vxlan);
        host.addFlow("in_port=" + vxlan + ",tun_id=" + VNI + ",actions=output:" + local.ofport());
    }

    private static void waitForListener(LabContainer c, int port) {
        long deadline = System.currentTimeMillis() + 5000;
        while (!c.exec("sh", "-c", "ss -ltn | grep -q ':" + port + " '").ok()) {
            assertTrue(System.currentTimeMillis() < deadline, "listener on port " + port);
            Shell.pause(20);
        }
    }
}
