package dev.ferry.tests.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Removes everything of one lab prefix: processes (by PID, checked to belong to the lab),
 * root-namespace links and namespaces (by name), then the state directory. Works from a record
 * of a live lab as well as from what a killed run left on disk.
 */
final class LabTeardown {
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private final String prefix;
    private final Path stateDir;

    LabTeardown(String prefix, Path stateDir) {
        this.prefix = prefix;
        this.stateDir = stateDir;
    }

    /** Tears down and returns what could not be removed (empty when clean). */
    List<String> run(Collection<Long> knownPids) {
        List<String> namespaces = namespaces();
        Set<Long> pids = new LinkedHashSet<>();
        knownPids.stream().filter(this::belongsToLab).forEach(pids::add);
        pidFiles().stream().filter(this::belongsToLab).forEach(pids::add);
        namespaces.forEach(ns -> pids.addAll(pidsIn(ns)));
        Pids.killAll(pids, KILL_WAIT);
        // Links first: a deleted namespace frees its veth peers only asynchronously.
        rootLinks().forEach(link -> Shell.run("ip", "link", "del", link));
        namespaces.forEach(ns -> Shell.run("ip", "netns", "del", ns));
        List<String> remaining = remaining(pids);
        if (remaining.isEmpty()) {
            deleteTree(stateDir);
        }
        return remaining;
    }

    private List<String> remaining(Set<Long> killed) {
        List<String> left = new ArrayList<>();
        killed.stream().filter(Pids::alive).forEach(pid -> left.add("process " + pid));
        namespaces().forEach(ns -> left.add("namespace " + ns));
        rootLinks().forEach(link -> left.add("link " + link));
        return left;
    }

    /** Named namespaces of this lab: all are named "<prefix>-...". */
    List<String> namespaces() {
        return Shell.run("ip", "netns", "list").out().lines()
                .map(line -> line.split("\\s+")[0])
                .filter(name -> name.startsWith(prefix + "-")).toList();
    }

    /** Links in the root namespace whose name starts with the prefix. */
    List<String> rootLinks() {
        return Shell.run("ip", "-o", "link", "show").out().lines()
                .map(line -> line.split(":\\s+")[1].split("@")[0])
                .filter(name -> name.startsWith(prefix)).toList();
    }

    static List<Long> pidsIn(String namespace) {
        return Shell.run("ip", "netns", "pids", namespace).out().lines()
                .filter(s -> !s.isBlank()).map(s -> Long.parseLong(s.strip())).toList();
    }

    private List<Long> pidFiles() {
        if (!Files.isDirectory(stateDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(stateDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".pid"))
                    .map(Pids::readPidFile).filter(p -> p.isPresent()).map(p -> p.getAsLong()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** A PID is ours if it runs in one of our namespaces or names our state directory (OVS pidfiles). */
    private boolean belongsToLab(long pid) {
        if (!Pids.alive(pid)) {
            return false;
        }
        return Pids.commandLine(pid).contains(stateDir.toString())
                || Pids.namespaceOf(pid).map(ns -> ns.startsWith(prefix + "-")).orElse(false);
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: a leftover directory is picked up again by the next run's sweep.
        }
    }
}
