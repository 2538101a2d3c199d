package dev.ferry.tests.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A running tcpdump in a lab namespace (the underlay bridge, a container's eth0), decoding with
 * -n -e -vv: MACs, and for VXLAN the header with its VNI and the inner frame. Start it, make
 * traffic, then {@link #stop()} for the lines ({@link CapturedPacket#parseAll} reads them).
 */
public final class PacketCapture {
    private static final long READY_TIMEOUT_MS = 5000;
    private static final Pattern PACKET_START = Pattern.compile("\\d{2}:\\d{2}:\\d{2}\\.\\d{6} ");

    private final LabProcess tcpdump;

    PacketCapture(LabProcess tcpdump) {
        this.tcpdump = tcpdump;
        awaitListening();
    }

    // tcpdump says "listening on" once the socket is open; packets before that would be missed.
    private void awaitListening() {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (tcpdump.errorLines().stream().anyMatch(l -> l.contains("listening on"))) {
                return;
            }
            if (!tcpdump.alive()) {
                throw new LabException("tcpdump exited: " + tcpdump.errorLines());
            }
            Shell.pause(20);
        }
        tcpdump.stop();
        throw new LabException("tcpdump did not start listening within " + READY_TIMEOUT_MS + " ms");
    }

    /** Stops tcpdump and returns one decoded line per packet (continuation lines joined). */
    public List<String> stop() {
        tcpdump.stop();
        return joinContinuations(tcpdump.outputLines());
    }

    // Each packet starts with a timestamp; tcpdump prints a VXLAN packet's inner frame (and, with -vv,
    // some long headers) on follow-up lines, which are joined to their packet.
    static List<String> joinContinuations(List<String> lines) {
        List<String> packets = new ArrayList<>();
        for (String line : lines) {
            if (!packets.isEmpty() && !PACKET_START.matcher(line).lookingAt()) {
                packets.set(packets.size() - 1, packets.get(packets.size() - 1) + " " + line.strip());
            } else {
                packets.add(line);
            }
        }
        return packets;
    }
}
