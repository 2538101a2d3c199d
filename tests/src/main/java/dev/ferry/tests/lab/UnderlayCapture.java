package dev.ferry.tests.lab;

import java.util.List;

/**
 * tcpdump on the shared underlay bridge, decoded (-n -e -vv: MACs, VXLAN header with its VNI and
 * the inner frame). Start it, make traffic, then {@link #stop()} for the lines.
 */
public final class UnderlayCapture {
    private static final long READY_TIMEOUT_MS = 5000;

    private final LabProcess tcpdump;

    UnderlayCapture(LabProcess tcpdump) {
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
            sleep(20);
        }
        tcpdump.stop();
        throw new LabException("tcpdump did not start listening within " + READY_TIMEOUT_MS + " ms");
    }

    /** Stops tcpdump and returns one decoded line per packet (continuation lines joined). */
    public List<String> stop() {
        tcpdump.stop();
        return joinContinuations(tcpdump.outputLines());
    }

    // With -vv tcpdump prints the outer headers and the VXLAN payload on indented follow-up lines.
    static List<String> joinContinuations(List<String> lines) {
        java.util.ArrayList<String> packets = new java.util.ArrayList<>();
        for (String line : lines) {
            if (!packets.isEmpty() && (line.startsWith(" ") || line.startsWith("\t"))) {
                packets.set(packets.size() - 1, packets.get(packets.size() - 1) + " " + line.strip());
            } else {
                packets.add(line);
            }
        }
        return packets;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
    }
}
