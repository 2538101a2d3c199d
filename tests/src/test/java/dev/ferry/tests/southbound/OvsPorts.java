package dev.ferry.tests.southbound;

import dev.ferry.tests.lab.LabHost;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.projectfloodlight.openflow.types.OFPort;

/** br-int's ports as OVS itself describes them (ovs-ofctl dump-ports-desc): the REST oracle. */
final class OvsPorts {
  record Port(int number, String name, String mac, String state) {}

  private static final Pattern HEADER = Pattern.compile("^\\s*(\\S+)\\((\\S+)\\): addr:(\\S+)$");

  private OvsPorts() {}

  /** Ports by name; state "down" when OVS reports LINK_DOWN or PORT_DOWN, as Ferry does. */
  static Map<String, Port> of(LabHost host) {
    Map<String, Port> ports = new TreeMap<>();
    String[] lines = host.ofctl("dump-ports-desc").split("\n");
    for (int i = 0; i < lines.length; i++) {
      Matcher m = HEADER.matcher(lines[i]);
      if (!m.matches()) {
        continue;
      }
      String config = field(lines, i, "config:");
      String state = field(lines, i, "state:");
      boolean down = config.contains("PORT_DOWN") || state.contains("LINK_DOWN");
      ports.put(m.group(2), new Port(number(m.group(1)), m.group(2), m.group(3), down ? "down" : "up"));
    }
    return ports;
  }

  private static String field(String[] lines, int header, String name) {
    for (int i = header + 1; i < lines.length && !HEADER.matcher(lines[i]).matches(); i++) {
      if (lines[i].strip().startsWith(name)) {
        return lines[i];
      }
    }
    throw new AssertionError("no " + name + " for " + lines[header]);
  }

  // Ferry reports OpenFlow's 32-bit port number as a Java int, so LOCAL (0xfffffffe) reads -2.
  private static int number(String text) {
    return text.equals("LOCAL") ? OFPort.LOCAL.getPortNumber() : Integer.parseInt(text);
  }
}
