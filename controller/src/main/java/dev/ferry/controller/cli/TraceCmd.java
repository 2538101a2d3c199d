package dev.ferry.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "trace", mixinStandardHelpOptions = true, description = {
    "Where a packet goes: every table it meets on every host, the flow and the object that "
        + "decides, and a verdict.",
    "  ferryctl trace --from-port a1 --to-port b2",
    "  ferryctl trace --from-port a1 --to-ip 10.1.1.3 --protocol tcp --dst-port 22",
    "  ferryctl trace --from-address 198.51.100.7 --to-ip 203.0.113.10 --live"})
final class TraceCmd implements java.util.concurrent.Callable<Integer> {

  @CommandLine.ParentCommand
  FerryCtl root;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--from-port", description = "sending port (id or name)") String fromPort;
  @Option(names = "--from-address", description = "an outside sender's IPv4 address") String fromAddress;
  @Option(names = "--to-ip", description = "destination IPv4 address") String toIp;
  @Option(names = "--to-port", description = "destination port (id or name)") String toPort;
  @Option(names = "--protocol", description = "icmp (default), tcp, udp or arp") String protocol;
  @Option(names = "--src-port") Integer srcPort;
  @Option(names = "--dst-port") Integer dstPort;
  @Option(names = "--icmp-type") Integer icmpType;
  @Option(names = "--icmp-code") Integer icmpCode;
  @Option(names = "--src-ip", description = "source address other than the port's (spoofing)") String srcIp;
  @Option(names = "--src-mac", description = "source MAC other than the port's (spoofing)") String srcMac;
  @Option(names = "--live", description = "walk the flows the switches hold, and report drift") boolean live;

  @Override
  public Integer call() {
    Fields f = new Fields().put("from_port", fromPort).put("from_address", fromAddress)
        .put("to_ip", toIp).put("to_port", toPort).put("protocol", protocol)
        .put("src_port", srcPort).put("dst_port", dstPort).put("icmp_type", icmpType)
        .put("icmp_code", icmpCode).put("src_ip", srcIp).put("src_mac", srcMac);
    JsonNode answer = root.client().call("POST", "/v1/trace" + (live ? "?live=true" : ""),
        f.map(), null);
    PrintWriter out = spec.commandLine().getOut();
    if (root.output == Output.Format.json) {
      Output.print(out, root.output, answer, java.util.List.of());
      return FerryCtl.OK;
    }
    print(out, answer);
    return FerryCtl.OK;
  }

  static void print(PrintWriter out, JsonNode answer) {
    out.println("packet: " + answer.path("packet").asText());
    String host = null;
    for (JsonNode hop : answer.path("hops")) {
      if (!hop.path("host").asText().equals(host)) {
        host = hop.path("host").asText();
        out.println(host + ":");
      }
      String flow = hop.path("miss").asBoolean() ? "(no flow matched: table miss)"
          : hop.path("flow_named").asText();
      out.println(String.format("  %-14s %s", hop.path("table").asText(), flow));
    }
    for (JsonNode d : answer.path("drift")) {
      out.println("drift on " + d.path("host").asText() + ": " + d.path("kind").asText() + " "
          + d.path("flow").asText());
    }
    out.println("verdict: " + answer.path("verdict").asText());
    out.flush();
  }
}
