package dev.ferry.tests.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** tcpdump -n -e -vv lines as seen on the lab underlay, joined into packets and parsed. */
class CapturedPacketTest {
    private static final List<String> TCPDUMP = List.of(
            "00:36:09.107115 5e:5b:04:27:4d:4b > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Ethernet (len 6), "
                    + "IPv4 (len 4), Request who-has 192.168.5.3 tell 192.168.5.2, length 28",
            "00:36:09.338570 5e:5b:04:27:4d:4b > 86:4f:5f:0f:b4:44, ethertype IPv4 (0x0800), length 92: (tos 0x0, ttl 64, "
                    + "id 0, offset 0, flags [DF], proto UDP (17), length 78) 192.168.5.2.32768 > 192.168.5.3.4789: "
                    + "[no cksum] VXLAN, flags [I] (0x08), vni 100",
            "02:00:00:00:03:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Ethernet (len 6), IPv4 (len 4), "
                    + "Request who-has 10.0.0.2 tell 10.0.0.1, length 28",
            "00:36:09.339225 5e:5b:04:27:4d:4b > 86:4f:5f:0f:b4:44, ethertype IPv4 (0x0800), length 148: (tos 0x0, ttl 64, "
                    + "id 0, offset 0, flags [DF], proto UDP (17), length 134) 192.168.5.2.58776 > 192.168.5.3.4789: "
                    + "[no cksum] VXLAN, flags [I] (0x08), vni 7",
            "02:00:00:00:03:01 > 02:00:00:00:03:02, ethertype IPv4 (0x0800), length 98: (tos 0x0, ttl 64, id 11798, "
                    + "offset 0, flags [DF], proto ICMP (1), length 84) 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 1, length 64");

    @Test
    void innerFramesJoinTheirVxlanPacket() {
        List<CapturedPacket> packets = CapturedPacket.parseAll(PacketCapture.joinContinuations(TCPDUMP));

        assertEquals(3, packets.size());
        assertTrue(packets.get(0).isOuterArp());
        assertFalse(packets.get(0).isVxlan());
        assertEquals(100, packets.get(1).vni().getAsInt());
        assertTrue(packets.get(1).isTunnelledArp());
        assertEquals(7, packets.get(2).vni().getAsInt());
        assertTrue(packets.get(2).inner().contains("10.0.0.1 > 10.0.0.2: ICMP echo request"));
        assertFalse(packets.get(2).isTunnelledArp());
    }
}
