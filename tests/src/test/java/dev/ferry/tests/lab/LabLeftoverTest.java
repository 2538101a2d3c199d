package dev.ferry.tests.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A lab whose JVM dies is cleaned: by its shutdown hook (SIGTERM) or by the next run (SIGKILL). */
class LabLeftoverTest {

    @BeforeEach
    void needsLab() {
        LabExtension.assumeLabAvailable();
    }

    @Test
    void leftoversOfAKilledRunAreCleanedByTheNextRun() throws Exception {
        Process child = startKeeper();
        String[] ready = awaitReady(child);
        Path dir = Path.of(ready[2]);
        List<Long> pids = LabResidue.pidFiles(dir);

        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertFalse(LabResidue.of(ready[1], dir, pids).isEmpty(), "SIGKILL leaves the lab behind");

        assertTrue(Lab.cleanLeftovers().contains(ready[1]), "cleaned " + ready[1]);
        assertEquals(List.of(), LabResidue.of(ready[1], dir, pids));
    }

    @Test
    void shutdownHookTearsDownWhenTheRunIsInterrupted() throws Exception {
        Process child = startKeeper();
        String[] ready = awaitReady(child);
        Path dir = Path.of(ready[2]);
        List<Long> pids = LabResidue.pidFiles(dir);

        child.destroy();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child exits on SIGTERM");

        assertEquals(List.of(), LabResidue.of(ready[1], dir, pids));
    }

    @Test
    void aLiveLabIsNotTakenForALeftover() {
        try (Lab lab = Lab.start()) {
            assertFalse(Lab.cleanLeftovers().contains(lab.prefix()));
            assertTrue(lab.stateDir().toFile().isDirectory());
        }
    }

    private static Process startKeeper() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LabKeeper.class.getName())
                .redirectErrorStream(true).start();
    }

    /** Reads the child's output until "READY <prefix> <stateDir>"; fails if it exits first. */
    private static String[] awaitReady(Process child) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream()));
        StringBuilder seen = new StringBuilder();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.startsWith("READY ")) {
                return line.split(" ");
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("lab keeper exited before READY: " + seen);
    }
}
