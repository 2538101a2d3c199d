package dev.ferry.tests.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A lab handed over to its state file ({@code ./ferry lab up}) is nobody's leftover: the test
 * suite's cleaner leaves it alone, also one that predates persistent labs (it reads the owner
 * line's leading PID, a live ovsdb-server); only {@link Lab#tearDownPersistent} removes it.
 */
class PersistentLabTest {

    @BeforeEach
    void needsLab() {
        LabExtension.assumeLabAvailable();
    }

    @Test
    void aPersistentLabSurvivesTheLeftoverCleanerAndIsRemovedByTearDown() {
        Lab lab = Lab.start();
        Path dir = lab.stateDir();
        String prefix = lab.prefix();
        List<Long> pids;
        try {
            LabHost h = lab.addHost(HostSpec.named("p1").bareOvs());
            pids = h.daemonPids();
            lab.persist(Map.of("prefix", prefix));
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
        try {
            lab.close(); // a persisted lab is no longer this JVM's to close
            assertTrue(Files.exists(dir.resolve(Lab.STATE_FILE)), "state file written");
            assertTrue(Lab.persistentLabs().contains(dir), "listed as persistent");
            assertFalse(Lab.cleanLeftovers().contains(prefix), "the leftover cleaner leaves it alone");
            assertTrue(LabOwner.read(dir).map(LabOwner::alive).orElse(false),
                    "an older cleaner reads a live owner too: " + LabOwner.read(dir));
            assertFalse(LabResidue.of(prefix, dir, pids).isEmpty(), "still running after close()");
        } finally {
            assertEquals(List.of(), Lab.tearDownPersistent(dir));
        }
        assertEquals(List.of(), LabResidue.of(prefix, dir, pids));
    }
}
