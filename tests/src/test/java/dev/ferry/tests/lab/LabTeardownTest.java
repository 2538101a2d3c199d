package dev.ferry.tests.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** close() removes every namespace, link and process of the lab's prefix, whatever was running. */
class LabTeardownTest {

    @Test
    void closeLeavesNoNamespaceLinkOrProcessOfThePrefix() {
        LabExtension.assumeLabAvailable();
        Lab lab = Lab.start();
        String prefix = lab.prefix();
        Path dir = lab.stateDir();
        List<Long> pids = new ArrayList<>();
        try {
            List<LabHost> hosts = lab.addHosts("h1", "h2");
            LabContainer a = hosts.get(0).addContainer("a", "02:00:00:00:02:01", "10.0.0.1/24");
            hosts.get(1).addContainer("b", "02:00:00:00:02:02", "10.0.0.2/24");
            pids.add(a.spawn("ping", "-i", "0.2", "10.0.0.2").pid());
            pids.add(hosts.get(1).spawn("sleep", "600").pid());
            lab.startUnderlayCapture("");
            hosts.forEach(h -> pids.addAll(h.daemonPids()));
            assertFalse(LabResidue.of(prefix, dir, pids).isEmpty(), "the lab exists before close");
        } finally {
            lab.close();
        }
        assertEquals(List.of(), LabResidue.of(prefix, dir, pids));
        lab.close();
    }
}
