package dev.ferry.controller.rest;

import dev.ferry.controller.engine.SecurityDrops;

import dev.ferry.apps.model.Host;
import dev.ferry.apps.pipeline.FlowText;
import dev.ferry.apps.pipeline.Table;
import dev.ferry.controller.engine.Engine;
import dev.ferry.controller.store.DatapathId;
import dev.ferry.controller.store.Rejection;
import dev.ferry.controller.trace.FlowDump;
import dev.ferry.controller.trace.SwitchFlows;
import dev.ferry.southbound.SwitchHandle;
import dev.ferry.southbound.SwitchRegistry;
import dev.ferry.southbound.flow.FlowEntry;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.projectfloodlight.openflow.types.U64;

/**
 * /v1/switches: read views of the connected switches (admin only): who is connected from
 * where since when, their ports, and the flows they hold, decoded like ovs-ofctl prints them.
 */
public final class SwitchRoutes implements RestRoutes {
  private static final long STATS_TIMEOUT_SECONDS = 10;
  record PortView(int number, String name, String mac, String state) {}

  record ReconcileView(long completed, long failed, Integer lastFlowMods, Long lastDurationMicros,
      String lastError) {}

  /**
   * @param installedVersion the model version the switch holds (0 before its first reconcile)
   * @param installedFlows flows Ferry's last confirmed reconcile left on the switch (null before it)
   */
  record SwitchView(String datapathId, String host, String remoteAddress, String connectedSince,
      long installedVersion, Integer installedFlows, long flowModsSent, ReconcileView reconciles,
      List<PortView> ports) {}

  /** flows: ovs-ofctl-like lines; entries: the same named, with owners and counters. */
  record FlowsView(String datapathId, String host, int count, List<String> flows,
      List<FlowDump.Entry> entries) {}

  private final SwitchRegistry switches;
  private final Engine engine;

  public SwitchRoutes(SwitchRegistry switches, Engine engine) {
    this.switches = switches;
    this.engine = engine;
  }

  @Override
  public void register(Javalin app) {
    app.get("/v1/switches", this::list);
    app.get("/v1/switches/{dpid}", ctx -> {
      RestAuth.requireAdmin(ctx);
      ctx.json(view(find(ctx)));
    });
    app.get("/v1/switches/{dpid}/flows", this::flows);
    app.get("/v1/ports/{id}/security_drops", this::securityDrops);
    app.get("/v1/security_group_rules/{id}/drops", this::ruleDrops);
  }

  /** Established packets a remote-group rule no longer lets through (their other end left the group). */
  record RuleDropsView(String rule, String securityGroup, long droppedPackets) {}

  private void ruleDrops(Context ctx) {
    Principal p = RestAuth.principal(ctx);
    String id = ctx.pathParam("id");
    var model = engine.model();
    var rule = java.util.Optional.ofNullable(model.securityGroupRules().get(id))
        .filter(r -> java.util.Optional.ofNullable(model.securityGroups().get(r.securityGroupId()))
            .map(g -> p.isAdmin() || p.sees(g.tenantId())).orElse(false))
        .orElseThrow(() -> Rejection.notFound("security_group_rule", id));
    ctx.json(new RuleDropsView(id, rule.securityGroupId(), new SecurityDrops(switches, engine::model).rule(rule)));
  }

  /** Packets the port's security groups dropped: counters of its two drop flows on its host's switch. */
  record DropsView(String port, String host, Long egressDroppedPackets, Long ingressDroppedPackets) {}

  private void securityDrops(Context ctx) throws Exception {
    Principal p = RestAuth.principal(ctx);
    String id = ctx.pathParam("id");
    var model = engine.model();
    var port = java.util.Optional.ofNullable(model.ports().get(id))
        .filter(x -> p.isAdmin() || java.util.Optional.ofNullable(model.networks().get(x.networkId()))
            .map(n -> p.sees(n.tenantId())).orElse(false))
        .orElseThrow(() -> Rejection.notFound("port", id));
    var host = port.host() == null ? null : model.hosts().get(port.host());
    var sw = host == null ? java.util.Optional.<SwitchHandle>empty() : switches.get(host.datapathId());
    if (sw.isEmpty()) {
      ctx.json(new DropsView(id, p.isAdmin() ? port.host() : null, null, null));
      return;
    }
    ctx.json(new DropsView(id, p.isAdmin() ? port.host() : null, dropped(sw.get(), id, false), dropped(sw.get(), id, true)));
  }

  private static Long dropped(SwitchHandle sw, String portId, boolean ingress) throws Exception {
    long cookie = dev.ferry.apps.compile.SecurityGroupFlows.dropCookie(portId, ingress);
    return sw.flowStats(U64.of(cookie), U64.NO_MASK).get(STATS_TIMEOUT_SECONDS, TimeUnit.SECONDS).stream()
        .mapToLong(e -> e.getPacketCount().getValue()).sum();
  }

  private void list(Context ctx) {
    RestAuth.requireAdmin(ctx);
    ctx.json(switches.all().stream()
        .sorted(Comparator.comparingLong(SwitchHandle::datapathId))
        .map(this::view).toList());
  }

  private void flows(Context ctx) throws Exception {
    RestAuth.requireAdmin(ctx);
    Requests.onlyFilters(ctx, "tenant", "network", "port", "table");
    SwitchHandle sw = find(ctx);
    FlowDump.Filter filter = new FlowDump.Filter(ctx.queryParam("tenant"),
        ctx.queryParam("network"), ctx.queryParam("port"), ctx.queryParam("table"));
    var model = engine.model();
    Host host = model.hostByDatapathId(sw.datapathId())
        .orElse(new Host("?", sw.datapathId(), "", null, 0));
    List<OFFlowStatsEntry> entries = SwitchFlows.flowStats(sw);
    boolean filtered = filter.tenant() != null || filter.network() != null
        || filter.port() != null || filter.table() != null;
    List<FlowDump.Entry> named = FlowDump.of(model, engine.currentBindings(), host, entries, filter);
    List<String> lines = filtered ? named.stream()
        .map(e -> e.flow() + " n_packets=" + e.packets() + " n_bytes=" + e.bytes()).toList()
        : entries.stream()
        .sorted(Comparator.comparingInt((OFFlowStatsEntry e) -> e.getTableId().getValue())
            .thenComparing(Comparator.comparingInt(OFFlowStatsEntry::getPriority).reversed()))
        .map(SwitchRoutes::flowLine).toList();
    ctx.json(new FlowsView(sw.dpidString(), host.name().equals("?") ? null : host.name(),
        lines.size(), lines, named));
  }

  /** One flow as text with its counters; Ferry's tables by name, anything else by number. */
  static String flowLine(OFFlowStatsEntry e) {
    FlowEntry flow = new FlowEntry(e.getTableId().getValue(), e.getPriority(), e.getMatch(),
        e.getInstructions(), e.getCookie().getValue());
    FlowText.Style style = Table.isDeclared(flow.tableId()) ? FlowText.Style.NAMED : FlowText.Style.OVS;
    return FlowText.flow(flow, style) + " n_packets=" + e.getPacketCount().getValue()
        + " n_bytes=" + e.getByteCount().getValue();
  }

  private SwitchHandle find(Context ctx) {
    String text = ctx.pathParam("dpid");
    long dpid = DatapathId.parse(text, "dpid");
    return switches.get(dpid).orElseThrow(() -> new Rejection(Rejection.Reason.NOT_FOUND,
        "not_found", "dpid", "no switch with datapath id " + text + " is connected"));
  }

  private SwitchView view(SwitchHandle sw) {
    String host = engine.model().hostByDatapathId(sw.datapathId()).map(Host::name).orElse(null);
    List<PortView> ports = sw.ports().values().stream()
        .sorted(Comparator.comparingInt(p -> p.getPortNo().getPortNumber()))
        .map(SwitchRoutes::portView).toList();
    return new SwitchView(DatapathId.format(sw.datapathId()), host, sw.remoteAddress().toString(),
        sw.connectedSince().toString(), engine.installedVersion(sw.datapathId()),
        installedFlows(sw.datapathId()), sw.counters().flowModsSent(), reconcileView(sw), ports);
  }

  private Integer installedFlows(long dpid) {
    java.util.OptionalInt n = engine.installedFlows(dpid);
    return n.isPresent() ? Integer.valueOf(n.getAsInt()) : null;
  }

  private ReconcileView reconcileView(SwitchHandle sw) {
    return engine.reconciles(sw.datapathId())
        .filter(r -> r.connectedSince().equals(sw.connectedSince()))
        .map(r -> new ReconcileView(r.completed(), r.failed(),
            r.last() == null ? null : r.last().flowMods(),
            r.last() == null ? null : r.last().duration().toNanos() / 1000, r.lastError()))
        .orElse(new ReconcileView(0, 0, null, null, null));
  }

  private static PortView portView(OFPortDesc p) {
    boolean down = p.getState().contains(OFPortState.LINK_DOWN)
        || p.getConfig().contains(OFPortConfig.PORT_DOWN);
    return new PortView(p.getPortNo().getPortNumber(), p.getName(), p.getHwAddr().toString(),
        down ? "down" : "up");
  }
}
