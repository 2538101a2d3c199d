package dev.ferry.tests.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Process facts and killing by PID; tolerant of processes that are already gone. */
final class Pids {
    private Pids() {
    }

    static boolean alive(long pid) {
        return running(pid);
    }

    /** Start time of a live process, used to tell a PID from a reused one. */
    static Optional<Instant> startTime(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant());
    }

    /** SIGKILLs every live PID and waits (bounded) until they are gone. */
    static void killAll(Collection<Long> pids, Duration wait) {
        List<ProcessHandle> handles = pids.stream()
                .map(ProcessHandle::of).flatMap(Optional::stream)
                .filter(ProcessHandle::isAlive).toList();
        handles.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + wait.toNanos();
        // ProcessHandle.onExit() polls slowly for non-children (~1 s); /proc answers at once.
        while (handles.stream().anyMatch(h -> running(h.pid())) && System.nanoTime() < deadline) {
            Shell.pause(5);
        }
    }

    /** True while the process exists and is not a zombie waiting to be reaped. */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static OptionalLong readPidFile(Path file) {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(file).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Name of the named network namespace a process lives in, if any. */
    static Optional<String> namespaceOf(long pid) {
        Shell.Result r = Shell.run("ip", "netns", "identify", Long.toString(pid));
        String name = r.out().strip();
        return r.ok() && !name.isEmpty() ? Optional.of(name.split("\\s+")[0]) : Optional.empty();
    }

    static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
