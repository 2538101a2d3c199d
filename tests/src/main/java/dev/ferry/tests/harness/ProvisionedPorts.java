package dev.ferry.tests.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * Reads and writes the provisioned-port list of the ARP workload as CSV:
 * {@code network,mac,ip,dpid,ofport[,metadata]} with a header line, e.g.
 * {@code net-a,02:00:00:00:01:01,10.1.0.1,1,1}. {@code #} starts a comment line. The optional
 * metadata column (decimal or 0x hex) is what the port's packet-ins carry in their match.
 */
public final class ProvisionedPorts {
  public static final String HEADER = "network,mac,ip,dpid,ofport";
  public static final String HEADER_WITH_METADATA = HEADER + ",metadata";

  private ProvisionedPorts() {}

  public static List<ProvisionedPort> readCsv(Path file) {
    try {
      List<ProvisionedPort> ports = new ArrayList<>();
      int lineNo = 0;
      for (String line : Files.readAllLines(file)) {
        lineNo++;
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#") || t.equals(HEADER) || t.equals(HEADER_WITH_METADATA)) {
          continue;
        }
        ports.add(parse(t, file + ":" + lineNo));
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void writeCsv(List<ProvisionedPort> ports, Path file) {
    List<String> lines = new ArrayList<>();
    boolean metadata = ports.stream().anyMatch(p -> p.metadata() != 0);
    lines.add(metadata ? HEADER_WITH_METADATA : HEADER);
    for (ProvisionedPort p : ports) {
      String line = String.join(",", p.network(), MacAddress.of(p.mac()).toString(),
          IPv4Address.of(p.ip()).toString(), Long.toString(p.dpid()), Integer.toString(p.ofPort()));
      lines.add(metadata ? line + ",0x" + Long.toHexString(p.metadata()) : line);
    }
    try {
      Files.write(file, lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A made-up provisioning: ports 1..portsPerSwitch of every switch, spread round-robin over
   * {@code networks} networks {@code net-N} with addresses 10.N.x.y, MACs unique per port.
   */
  public static List<ProvisionedPort> synthetic(long firstDpid, int switches, int portsPerSwitch,
      int networks) {
    List<ProvisionedPort> ports = new ArrayList<>();
    int index = 0;
    for (int s = 0; s < switches; s++) {
      for (int p = 1; p <= portsPerSwitch; p++, index++) {
        int net = index % networks;
        int host = index / networks + 1;
        int ip = (10 << 24) | (net << 16) | host;
        long mac = 0x0e0000000000L | ((long) net << 24) | host;
        ports.add(new ProvisionedPort("net-" + net, mac, ip, firstDpid + s, p));
      }
    }
    return ports;
  }

  private static ProvisionedPort parse(String line, String where) {
    String[] f = line.split(",");
    if (f.length != 5 && f.length != 6) {
      throw new IllegalArgumentException(where + ": want " + HEADER_WITH_METADATA + ", got " + line);
    }
    try {
      return new ProvisionedPort(f[0].strip(), MacAddress.of(f[1].strip()).getLong(),
          IPv4Address.of(f[2].strip()).getInt(), Long.decode(f[3].strip()),
          Integer.parseInt(f[4].strip()), f.length == 6 ? Long.decode(f[5].strip()) : 0);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }
}
