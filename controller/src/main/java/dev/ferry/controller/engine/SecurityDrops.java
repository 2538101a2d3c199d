package dev.ferry.controller.engine;

import dev.ferry.apps.compile.SecurityGroupFlows;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.SecurityGroupRule;
import dev.ferry.apps.pipeline.FerryApp;
import dev.ferry.southbound.SwitchHandle;
import dev.ferry.southbound.SwitchRegistry;
import dev.ferry.southbound.flow.FerryCookie;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.types.U64;

/**
 * The security groups' drop counters, read from the switches on demand (flow stats of the
 * security_groups app's flows, one request per switch): per port (its egress and ingress drop
 * flows: what no rule allows) and per remote-group rule (its drop flows: established packets
 * whose other end left the remote group). Cookies are mapped back to ports and rules through
 * the model; a drop flow whose object is gone from the model is not reported.
 *
 * <p>No state of its own: every call asks the switches connected now (a switch that does not
 * answer within the timeout is left out of that call's sums).
 */
public final class SecurityDrops {
  private static final long TIMEOUT_SECONDS = 5;

  /** @param group the rule's security group id */
  public record RuleKey(String group, String rule) {}

  /** @param direction "egress" or "ingress" */
  public record PortKey(String port, String direction) {}

  public record Counts(Map<PortKey, Long> ports, Map<RuleKey, Long> rules) {}

  private final SwitchRegistry switches;
  private final Supplier<Model> model;

  public SecurityDrops(SwitchRegistry switches, Supplier<Model> model) {
    this.switches = switches;
    this.model = model;
  }

  /** Counters summed over every connected switch. */
  public Counts all() {
    return of(switches.all());
  }

  /** The drops of one rule, summed over every connected switch (0 where it has no flows). */
  public long rule(SecurityGroupRule r) {
    return sum(switches.all(), SecurityGroupFlows.ruleDropCookie(r.id()));
  }

  private Counts of(Iterable<SwitchHandle> handles) {
    Model m = model.get();
    Map<Long, PortKey> portByCookie = new HashMap<>();
    m.ports().keySet().forEach(id -> {
      portByCookie.put(SecurityGroupFlows.dropCookie(id, false), new PortKey(id, "egress"));
      portByCookie.put(SecurityGroupFlows.dropCookie(id, true), new PortKey(id, "ingress"));
    });
    Map<Long, RuleKey> ruleByCookie = new HashMap<>();
    m.securityGroupRules().values().forEach(r ->
        ruleByCookie.put(SecurityGroupFlows.ruleDropCookie(r.id()), new RuleKey(r.securityGroupId(), r.id())));
    Map<PortKey, Long> ports = new TreeMap<>(java.util.Comparator.comparing(PortKey::port).thenComparing(PortKey::direction));
    Map<RuleKey, Long> rules = new TreeMap<>(java.util.Comparator.comparing(RuleKey::group).thenComparing(RuleKey::rule));
    long app = FerryCookie.of(FerryApp.SECURITY_GROUPS.id(), 0);
    long appMask = 0xFFFFL << 48; // the Ferry tag and the app byte
    for (OFFlowStatsEntry e : stats(handles, U64.of(app), U64.of(appMask))) {
      long cookie = e.getCookie().getValue();
      long packets = e.getPacketCount().getValue();
      PortKey p = portByCookie.get(cookie);
      if (p != null) {
        ports.merge(p, packets, Long::sum);
        continue;
      }
      RuleKey r = ruleByCookie.get(cookie);
      if (r != null) {
        rules.merge(r, packets, Long::sum);
      }
    }
    return new Counts(ports, rules);
  }

  private static long sum(Iterable<SwitchHandle> handles, long cookie) {
    return stats(handles, U64.of(cookie), U64.NO_MASK).stream().mapToLong(e -> e.getPacketCount().getValue()).sum();
  }

  private static List<OFFlowStatsEntry> stats(Iterable<SwitchHandle> handles, U64 cookie, U64 mask) {
    List<CompletableFuture<List<OFFlowStatsEntry>>> asked = new ArrayList<>();
    handles.forEach(sw -> asked.add(sw.flowStats(cookie, mask)));
    List<OFFlowStatsEntry> out = new ArrayList<>();
    for (var f : asked) {
      try {
        out.addAll(f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // that switch is left out of this call's sums (gone or slow)
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return out;
  }
}
