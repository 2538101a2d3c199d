package dev.ferry.controller.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The network namespace a port is attached into: a named one (ip netns) or a process's (a
 * Docker container's init, found with docker inspect).
 *
 * @param moveTo what {@code ip link set DEV netns X} takes: the namespace name or the PID
 * @param execPrefix the words that run a command inside the namespace
 */
public record NetnsTarget(String description, String moveTo, List<String> execPrefix) {

  public static NetnsTarget named(String name) {
    return new NetnsTarget("netns " + name, name, List.of("ip", "netns", "exec", name));
  }

  public static NetnsTarget process(String what, long pid) {
    return new NetnsTarget(what, Long.toString(pid), List.of("nsenter", "--net=/proc/" + pid + "/ns/net"));
  }

  /** A namespace by its file, as CNI passes it (CNI_NETNS: /var/run/netns/NAME, /proc/PID/ns/net). */
  public static NetnsTarget path(String path) {
    return new NetnsTarget("netns " + path, path, List.of("nsenter", "--net=" + path));
  }

  public static List<String> dockerInspect(String container) {
    return List.of("docker", "inspect", "-f", "{{.State.Pid}}", container);
  }

  /** The container's namespace; empty when the container does not exist or is not running. */
  public static java.util.Optional<NetnsTarget> docker(String container, Commands commands) {
    Commands.Result r = commands.run(dockerInspect(container));
    String pid = r.out().strip();
    if (!r.ok() || !pid.matches("[1-9]\\d*")) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(process("container " + container, Long.parseLong(pid)));
  }

  /** Whether a named namespace exists (ip netns keeps them under /run/netns). */
  public static boolean namedExists(String name) {
    return Files.exists(Path.of("/run/netns", name));
  }

  public List<String> inside(String... command) {
    List<String> out = new ArrayList<>(execPrefix);
    out.addAll(List.of(command));
    return out;
  }
}
