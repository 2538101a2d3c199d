package dev.ferry.tests.lab;

import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One decoded tcpdump line of a {@link PacketCapture}, split into what tests ask about: is it
 * VXLAN, with which VNI, and what was inside (the inner frame as tcpdump printed it).
 */
public record CapturedPacket(String line, OptionalInt vni, String inner) {
    private static final Pattern VXLAN = Pattern.compile("VXLAN, flags \\[[^]]*] \\([^)]*\\), vni (\\d+)\\s*(.*)");

    public static CapturedPacket parse(String line) {
        Matcher m = VXLAN.matcher(line);
        return m.find() ? new CapturedPacket(line, OptionalInt.of(Integer.parseInt(m.group(1))), m.group(2))
                : new CapturedPacket(line, OptionalInt.empty(), "");
    }

    public static List<CapturedPacket> parseAll(List<String> lines) {
        return lines.stream().map(CapturedPacket::parse).toList();
    }

    public boolean isVxlan() {
        return vni.isPresent();
    }

    /** An ARP frame on the wire itself (not tunnelled); on the underlay that is OVS resolving tunnel IPs. */
    public boolean isOuterArp() {
        return !isVxlan() && line.contains("ethertype ARP");
    }

    /** A tunnelled ARP frame: a container's ARP carried between hosts. */
    public boolean isTunnelledArp() {
        return isVxlan() && inner.contains("ethertype ARP");
    }
}
