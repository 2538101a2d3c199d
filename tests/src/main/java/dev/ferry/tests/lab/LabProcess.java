package dev.ferry.tests.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A background process inside a lab namespace (a ping -i 0.1, an nc listener, a tcpdump),
 * tracked by PID so that teardown kills it even if the test forgets.
 */
public final class LabProcess {
    private final String name;
    private final Process process;
    private final Path out;
    private final Path err;

    private LabProcess(String name, Process process, Path out, Path err) {
        this.name = name;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code command} in {@code namespace}; stdout/stderr go to files under {@code dir}. */
    static LabProcess start(String namespace, Path dir, String name, List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(command);
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(full)
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        // "ip netns exec" execs the command in place, so this PID is the command's own.
        Process process = Shell.start(builder);
        writePidFile(dir.resolve(name + ".pid"), process.pid());
        return new LabProcess(name, process, out, err);
    }

    private static void writePidFile(Path file, long pid) {
        try {
            Files.writeString(file, pid + "\n");
        } catch (IOException e) {
            throw new LabException("cannot write " + file, e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM (lets tcpdump flush, ping print its summary), then SIGKILL after 3 s. */
    public int stop() {
        process.destroy();
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** Waits for the process to end by itself; returns its exit code or -1 on timeout. */
    public int waitFor(long millis) {
        try {
            return process.waitFor(millis, TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public List<String> outputLines() {
        return readLines(out);
    }

    public List<String> errorLines() {
        return readLines(err);
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }
}
