package dev.ferry.controller.cni;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The runtime's environment for one invocation (CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS,
 * CNI_IFNAME, CNI_ARGS; CNI_PATH is for delegation, which this plugin does not do).
 *
 * @param netns the namespace's path; null when absent (allowed for DEL)
 * @param args CNI_ARGS as key/value pairs ("K8S_POD_NAME=web;IP=10.0.0.5")
 */
public record CniRequest(String command, String containerId, String netns, String ifname, Map<String, String> args) {

  public static CniRequest from(Map<String, String> env) {
    String command = env.get("CNI_COMMAND");
    if (command == null || command.isBlank()) {
      throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_COMMAND is not set (ADD, DEL, CHECK, GC, STATUS or VERSION)");
    }
    Map<String, String> args = new LinkedHashMap<>();
    String raw = env.getOrDefault("CNI_ARGS", "");
    for (String pair : raw.split(";")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_ARGS: '" + pair + "' is not KEY=VALUE");
      }
      args.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return new CniRequest(command, blankToNull(env.get("CNI_CONTAINERID")), blankToNull(env.get("CNI_NETNS")),
        blankToNull(env.get("CNI_IFNAME")), args);
  }

  /** ADD and CHECK need all three; DEL needs the container and interface (the netns may be gone). */
  public void require(boolean needNetns) {
    if (containerId == null) {
      throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_CONTAINERID is not set");
    }
    if (ifname == null) {
      throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_IFNAME is not set");
    }
    if (ifname.length() > 15 || !ifname.matches("[A-Za-z0-9_.-]+")) {
      throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_IFNAME '" + ifname + "' is not a valid interface name");
    }
    if (needNetns && netns == null) {
      throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_NETNS is not set");
    }
  }

  /** The port's label in Ferry: the pod ("namespace/name") when Kubernetes says, else the container id. */
  public String portName() {
    String pod = args.get("K8S_POD_NAME");
    if (pod != null && !pod.isBlank()) {
      String ns = args.getOrDefault("K8S_POD_NAMESPACE", "");
      return (ns.isBlank() ? "" : ns + "/") + pod + (ifname.equals("eth0") ? "" : ":" + ifname);
    }
    String id = containerId.length() > 64 ? containerId.substring(0, 64) : containerId;
    return id + (ifname.equals("eth0") ? "" : ":" + ifname);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
