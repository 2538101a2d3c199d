package dev.ferry.tests.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabContainer;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.scenario.OverlayLab;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * POST /v1/trace on real OVS, checked against the switches themselves: for each packet the
 * tables Ferry's trace walks on each host are the tables `ovs-appctl ofproto/trace` walks on
 * that host's br-int, and both agree on delivered or dropped (and the real ping agrees too).
 * Then one flow is deleted by hand, and the live trace shows it as drift.
 */
@ExtendWith(LabExtension.class)
class TraceLabTest {
  static final String CIDR = "172.17.42.0/24";
  /** A delivered ping in blue-net, let in by the default group (members reach members). */
  static final String DELIVERED = "delivered to port b2 on h2 (allowed by security group 'default': any ingress from group 'default')";

  /** What ofproto/trace did on one bridge: the br-int tables it visited and its verdict. */
  record OvsTrace(List<Integer> tables, boolean dropped, String text) {}

  @Test
  void traceAgreesWithOfprotoTraceAndLiveModeShowsAHandDeletedFlow(Lab lab, @TempDir Path dir) {
    try (OverlayLab f = OverlayLab.start(lab, dir)) {
      List<LabHost> hosts = f.addHosts("h1", "h2");
      LabHost h1 = hosts.get(0);
      LabHost h2 = hosts.get(1);
      String blue = f.api().createNetwork(f.api().createTenant("blue"), "blue-net", 100, CIDR);
      String green = f.api().createNetwork(f.api().createTenant("green"), "green-net", 200, CIDR);
      LabContainer b1 = f.addContainer(h1, blue, "b1", "02:00:00:00:00:02", "172.17.42.2/24");
      LabContainer b2 = f.addContainer(h2, blue, "b2", "02:00:00:00:00:10", "172.17.42.10/24");
      LabContainer g2 = f.addContainer(h2, green, "g2", "02:00:00:00:00:20", "172.17.42.20/24");
      f.converge();

      // 1. a ping across hosts: delivered, through both pipelines
      JsonNode ping = trace(f, Map.of("from_port", "b1", "to_port", "b2"), false);
      print("b1 -> b2", ping);
      assertEquals(DELIVERED, ping.path("verdict").asText());
      String icmp = "icmp,dl_src=" + b1.mac() + ",dl_dst=" + b2.mac() + ",nw_src=" + b1.ip()
          + ",nw_dst=" + b2.ip() + ",nw_ttl=64,icmp_type=8,icmp_code=0";
      OvsTrace onH1 = ofprotoTrace(h1, "in_port=" + b1.ofport() + "," + icmp);
      OvsTrace onH2 = ofprotoTrace(h2, "in_port=" + h2.tunnelOfport() + ",tun_id=0x64,tun_src="
          + h1.tunnelIp() + ",tun_dst=" + h2.tunnelIp() + "," + icmp);
      assertEquals(onH1.tables(), tables(ping, "h1"), onH1.text());
      assertEquals(onH2.tables(), tables(ping, "h2"), onH2.text());
      assertFalse(onH2.dropped(), onH2.text());
      assertTrue(onH2.text().contains("output:" + b2.ofport()), onH2.text());
      assertTrue(b1.ping(b2.ip(), 2, 10) >= 1, "the real ping");
      System.out.println("$ ferryctl trace --from-port b1 --to-port b2\n"
          + ctl(f, "trace", "--from-port", "b1", "--to-port", "b2"));

      // 2. another tenant's port: an isolation drop in l2_forward on h1
      JsonNode isolated = trace(f, Map.of("from_port", "b1", "to_port", "g2"), false);
      print("b1 -> g2", isolated);
      assertTrue(isolated.path("verdict").asText().startsWith("dropped in l2_forward on h1: "
          + g2.mac() + " is port g2 of network green-net of another tenant"), isolated.toString());
      OvsTrace toGreen = ofprotoTrace(h1, "in_port=" + b1.ofport() + ",icmp,dl_src=" + b1.mac()
          + ",dl_dst=" + g2.mac() + ",nw_src=" + b1.ip() + ",nw_dst=" + g2.ip()
          + ",nw_ttl=64,icmp_type=8,icmp_code=0");
      assertEquals(toGreen.tables(), tables(isolated, "h1"), toGreen.text());
      assertTrue(toGreen.dropped(), toGreen.text());
      assertEquals(0, b1.ping(g2.ip(), 2, 2), "the real ping");

      // 3. a spoofed source address: dropped in port_security
      JsonNode spoofed = trace(f, Map.of("from_port", "b1", "to_port", "b2", "src_ip", "172.17.42.66"), false);
      print("b1 (as .66) -> b2", spoofed);
      assertEquals("dropped in port_security on h1: source 172.17.42.66 is not port b1's address "
          + "(172.17.42.2)", spoofed.path("verdict").asText());
      OvsTrace spoof = ofprotoTrace(h1, "in_port=" + b1.ofport() + ",icmp,dl_src=" + b1.mac()
          + ",dl_dst=" + b2.mac() + ",nw_src=172.17.42.66,nw_dst=" + b2.ip()
          + ",nw_ttl=64,icmp_type=8,icmp_code=0");
      System.out.println("ofproto/trace on h1:\n" + spoof.text());
      assertEquals(spoof.tables(), tables(spoofed, "h1"), spoof.text());
      assertTrue(spoof.dropped(), spoof.text());

      // the same through ferryctl, as an operator would ask (printed for docs/troubleshooting.md)
      String cli = ctl(f, "trace", "--from-port", "b1", "--to-port", "g2");
      System.out.println("$ ferryctl trace --from-port b1 --to-port g2\n" + cli);
      assertTrue(cli.contains("verdict: dropped in l2_forward on h1"), cli);
      System.out.println("$ ferryctl switch flows h1 --port b1\n" + ctl(f, "switch", "flows", "h1", "--port", "b1"));

      // 4. live mode over the switches' own flows: the same answer, then drift after a hand edit
      JsonNode live = trace(f, Map.of("from_port", "b1", "to_port", "b2"), true);
      assertEquals(DELIVERED, live.path("verdict").asText(), live.toString());
      assertEquals(0, live.path("drift").size(), live.toString());
      h1.ofctl("del-flows", "table=50,metadata=0x64/0xffffff,dl_dst=" + b2.mac());
      JsonNode drifted = trace(f, Map.of("from_port", "b1", "to_port", "b2"), true);
      print("b1 -> b2 live, after del-flows on h1", drifted);
      assertTrue(drifted.path("verdict").asText().startsWith("dropped in l2_forward on h1"),
          drifted.toString());
      JsonNode drift = drifted.path("drift");
      assertEquals(1, drift.size(), drift.toString());
      assertEquals("missing", drift.get(0).path("kind").asText());
      assertEquals("b2", drift.get(0).path("owner").path("name").asText());
      assertEquals(DELIVERED,
          trace(f, Map.of("from_port", "b1", "to_port", "b2"), false).path("verdict").asText(),
          "the compiled flows still deliver: the model says yes, the switch says no");
      System.out.println("$ ferryctl trace --from-port b1 --to-port b2 --live\n"
          + ctl(f, "trace", "--from-port", "b1", "--to-port", "b2", "--live"));
    }
  }

  /** Runs ferryctl against the lab's Ferry with the admin token; returns what it printed. */
  static String ctl(OverlayLab f, String... args) {
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.out;
    System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
    int code;
    try {
      List<String> all = new ArrayList<>(List.of("--url", "http://127.0.0.1:" + f.ferry().restPort(),
          "--token", OverlayLab.ADMIN_TOKEN));
      all.addAll(List.of(args));
      code = dev.ferry.controller.cli.FerryCtl.run(Map.of(), all.toArray(String[]::new));
    } finally {
      System.setOut(old);
    }
    String out = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, code, out);
    return out;
  }

  private static JsonNode trace(OverlayLab f, Map<String, Object> body, boolean live) {
    return f.api().post("/v1/trace" + (live ? "?live=true" : ""), body);
  }

  private static List<Integer> tables(JsonNode answer, String host) {
    List<Integer> t = new ArrayList<>();
    answer.path("hops").forEach(h -> {
      if (h.path("host").asText().equals(host)) {
        t.add(h.path("table_id").asInt());
      }
    });
    return t;
  }

  private static final Pattern TABLE_LINE = Pattern.compile("^\\s{0,3}(\\d+)\\. ");

  /** ofproto/trace on br-int; only br-int's own tables (a tunnelled packet goes on into br-phy). */
  static OvsTrace ofprotoTrace(LabHost h, String flow) {
    String text = h.appctl("ofproto/trace", "br-int", flow);
    List<Integer> tables = new ArrayList<>();
    boolean inBrInt = false;
    for (String line : text.split("\n")) {
      if (line.startsWith("bridge(")) {
        inBrInt = line.startsWith("bridge(\"br-int\")");
        continue;
      }
      Matcher m = TABLE_LINE.matcher(line);
      if (inBrInt && m.find()) {
        tables.add(Integer.parseInt(m.group(1)));
      }
    }
    List<String> actions = text.lines().map(String::strip).filter(l -> l.startsWith("Datapath actions: "))
        .map(l -> l.substring("Datapath actions: ".length())).toList();
    boolean dropped = !actions.isEmpty() && sendsNothing(actions.get(actions.size() - 1));
    return new OvsTrace(tables, dropped, text);
  }

  /**
   * The last pass's datapath actions (after any conntrack recirculation) put the packet on no
   * port: "drop", or only conntrack and field actions, e.g. "ct(commit,zone=32770,mark=...)".
   */
  static boolean sendsNothing(String actions) {
    if (actions.equals("drop")) {
      return true;
    }
    int depth = 0;
    StringBuilder token = new StringBuilder();
    List<String> tokens = new ArrayList<>();
    for (char c : (actions + ",").toCharArray()) {
      if (c == ',' && depth == 0) {
        tokens.add(token.toString().strip());
        token.setLength(0);
        continue;
      }
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      token.append(c);
    }
    return tokens.stream().noneMatch(t -> t.matches("\\d+") || t.startsWith("tnl_push") || t.startsWith("output")
        || t.startsWith("clone") || t.startsWith("recirc"));
  }

  static void print(String what, JsonNode answer) {
    System.out.println("trace " + what + ": " + answer.path("verdict").asText());
    System.out.println("  packet " + answer.path("packet").asText());
    answer.path("hops").forEach(h -> System.out.println("  " + h.path("host").asText() + " "
        + h.path("table").asText() + " " + h.path("flow_named").asText()));
    answer.path("drift").forEach(d -> System.out.println("  drift " + d));
  }
}
