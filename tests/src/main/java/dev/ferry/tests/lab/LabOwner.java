package dev.ferry.tests.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The JVM that owns a lab's state directory: its PID and start time (a PID alone may be reused).
 * A lab whose owner is gone is a leftover of a killed run and may be torn down by anyone.
 *
 * <p>A persistent lab ({@code ./ferry lab up}) outlives the JVM that built it: its owner file says
 * {@value #PERSISTENT} instead, it is never anyone's leftover, and only {@code ./ferry lab down}
 * removes it.
 */
record LabOwner(long pid, long startMillis) {
    static final String FILE = "owner";
    static final String PERSISTENT = "persistent";
    /** A directory this young without an owner file is still being set up by its owner. */
    private static final Duration SETUP_GRACE = Duration.ofSeconds(30);

    static LabOwner current() {
        ProcessHandle self = ProcessHandle.current();
        return new LabOwner(self.pid(), self.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
    }

    void writeTo(Path stateDir) {
        try {
            Files.writeString(stateDir.resolve(FILE), pid + " " + startMillis + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean alive() {
        return Pids.startTime(pid).map(t -> startMillis == 0 || Math.abs(t.toEpochMilli() - startMillis) < 1000)
                .orElse(false);
    }

    /**
     * Hands the lab in this directory over to the state file: no JVM owns it any more. The line
     * still starts with a PID and start time, of a daemon that lives as long as the lab (a host's
     * ovsdb-server), so that a leftover cleaner that predates persistent labs also leaves it alone.
     */
    static void writePersistent(Path stateDir, long anchorPid) {
        long start = Pids.startTime(anchorPid).map(Instant::toEpochMilli).orElse(0L);
        try {
            Files.writeString(stateDir.resolve(FILE), anchorPid + " " + start + " " + PERSISTENT + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isPersistent(Path stateDir) {
        try {
            return Files.readString(stateDir.resolve(FILE)).strip().endsWith(" " + PERSISTENT);
        } catch (IOException e) {
            return false;
        }
    }

    /** True when the lab in this directory has no living owner (a persistent lab always has one). */
    static boolean isAbandoned(Path stateDir) {
        if (isPersistent(stateDir)) {
            return false;
        }
        return read(stateDir).map(owner -> !owner.alive()).orElseGet(() -> olderThanGrace(stateDir));
    }

    static Optional<LabOwner> read(Path stateDir) {
        try {
            String[] parts = Files.readString(stateDir.resolve(FILE)).strip().split("\\s+");
            return Optional.of(new LabOwner(Long.parseLong(parts[0]), Long.parseLong(parts[1])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean olderThanGrace(Path stateDir) {
        try {
            Instant modified = Files.getLastModifiedTime(stateDir).toInstant();
            return modified.plus(SETUP_GRACE).isBefore(Instant.now());
        } catch (IOException e) {
            return false;
        }
    }
}
