package dev.ferry.tests.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/** What of a lab still exists on the machine, looked up independently of the lab's own record. */
final class LabResidue {
    private LabResidue() {
    }

    static List<String> of(String prefix, Path stateDir, Collection<Long> pids) {
        List<String> left = new ArrayList<>();
        Shell.check("ip", "netns", "list").lines().map(l -> l.split("\\s+")[0])
                .filter(n -> n.startsWith(prefix)).forEach(n -> left.add("namespace " + n));
        Shell.check("ip", "-o", "link", "show").lines().map(l -> l.split(":\\s+")[1].split("@")[0])
                .filter(n -> n.startsWith(prefix)).forEach(n -> left.add("link " + n));
        pids.stream().filter(Pids::alive).forEach(p -> left.add("pid " + p + " " + Pids.commandLine(p)));
        processesNaming(stateDir).forEach(p -> left.add("process naming state dir " + p));
        if (Files.exists(stateDir)) {
            left.add("state dir " + stateDir);
        }
        return left;
    }

    /** PIDs recorded in the lab's pidfiles (OVS daemons and background processes). */
    static List<Long> pidFiles(Path stateDir) {
        try (Stream<Path> files = Files.walk(stateDir)) {
            return files.filter(f -> f.toString().endsWith(".pid")).map(Pids::readPidFile)
                    .filter(p -> p.isPresent()).map(p -> p.getAsLong()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<Long> processesNaming(Path stateDir) {
        return ProcessHandle.allProcesses().map(ProcessHandle::pid)
                .filter(p -> Pids.commandLine(p).contains(stateDir.toString())).toList();
    }
}
