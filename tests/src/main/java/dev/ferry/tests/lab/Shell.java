package dev.ferry.tests.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Runs short-lived commands and collects their output; the lab's only way to touch the system. */
public final class Shell {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    // stderr is drained on its own thread so a chatty command cannot block on a full pipe.
    private static final ExecutorService DRAINERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lab-shell-drain");
        t.setDaemon(true);
        return t;
    });

    private Shell() {
    }

    /** What a finished command left behind. */
    public record Result(List<String> command, int exitCode, String out, String err) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** Returns this result, or throws with the command and its stderr when it failed. */
        public Result check() {
            if (!ok()) {
                throw new LabException(String.join(" ", command) + " exited " + exitCode + ": " + err.strip()
                        + (out.isBlank() ? "" : " / " + out.strip()));
            }
            return this;
        }
    }

    public static Result run(String... command) {
        return run(Map.of(), DEFAULT_TIMEOUT, List.of(command));
    }

    public static Result run(List<String> command) {
        return run(Map.of(), DEFAULT_TIMEOUT, command);
    }

    /** Runs and throws unless the exit code is 0; returns stdout. */
    public static String check(String... command) {
        return run(command).check().out();
    }

    public static String check(List<String> command) {
        return run(command).check().out();
    }

    public static Result run(Map<String, String> env, Duration timeout, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(env);
        Process process = start(builder);
        try {
            process.getOutputStream().close();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()), DRAINERS);
            String out = read(process.getInputStream());
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new LabException(String.join(" ", command) + " timed out after " + timeout);
            }
            return new Result(List.copyOf(command), process.exitValue(), out, err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LabException("interrupted: " + String.join(" ", command), e);
        }
    }

    static Process start(ProcessBuilder builder) {
        try {
            return builder.start();
        } catch (IOException e) {
            throw new LabException("cannot start " + String.join(" ", builder.command()), e);
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Thread.sleep for polling loops; an interrupt aborts the lab step. */
    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
    }
}
