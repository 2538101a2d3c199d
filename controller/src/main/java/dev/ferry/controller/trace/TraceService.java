package dev.ferry.controller.trace;

import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.pipeline.FlowText;
import dev.ferry.apps.trace.FlowNames;
import dev.ferry.apps.trace.FlowOwners;
import dev.ferry.apps.trace.OverlayTrace;
import dev.ferry.apps.trace.Packet;
import dev.ferry.apps.trace.TraceStart;
import dev.ferry.apps.trace.Verdict;
import dev.ferry.controller.engine.Engine;
import dev.ferry.controller.rest.Principal;
import dev.ferry.controller.store.Rejection;
import dev.ferry.southbound.SwitchHandle;
import dev.ferry.southbound.flow.CanonicalForm;
import dev.ferry.southbound.flow.CanonicalKey;
import dev.ferry.southbound.flow.DesiredState;
import dev.ferry.southbound.flow.FlowDiff;
import dev.ferry.southbound.flow.FlowEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Answers POST /v1/trace: resolves the request against one model snapshot, walks the packet
 * over the compiled flows (or, live, over the flows read from the switches) and names what it
 * met. Stateless: every call takes its own snapshot, so it needs no lock.
 */
public final class TraceService {
  private final Engine engine;
  private final java.util.function.LongSupplier committed;

  /** @param committed the model version of the store's newest snapshot (what callers have written) */
  public TraceService(Engine engine, java.util.function.LongSupplier committed) {
    this.engine = engine;
    this.committed = committed;
  }

  /**
   * The switch reports Nicira actions (ct, move, conjunction) only as digests the tracer cannot
   * run. A read-back flow equal to a desired one (same key, same canonical instructions) is
   * walked as that desired flow; a flow that differs stays as read, and is reported as drift.
   */
  static DesiredState walkable(DesiredState actual, DesiredState desired) {
    Map<CanonicalKey, FlowEntry> byKey = new java.util.HashMap<>();
    desired.flows().forEach(f -> byKey.put(CanonicalKey.of(f), f));
    List<FlowEntry> flows = actual.flows().stream().map(a -> {
      FlowEntry d = byKey.get(CanonicalKey.of(a));
      return d != null && CanonicalForm.instructions(d.instructions()).equals(CanonicalForm.instructions(a.instructions()))
          ? d : a;
    }).toList();
    return new DesiredState(flows, actual.groups(), actual.meters());
  }

  private static long sw(Model model, String host) {
    return model.hosts().get(host).datapathId();
  }

  public TraceAnswer trace(TraceRequest req, Principal caller, boolean live) throws InterruptedException {
    // The engine's model (what switches are compiled from), once it has the caller's writes.
    Model model = engine.modelAtLeast(committed.getAsLong(), Duration.ofSeconds(2));
    Bindings bindings = engine.currentBindings();
    FlowOwners owners = new FlowOwners(model);
    TraceStart.Spec spec = new TraceStart.Spec(
        port(model, caller, req.fromPort(), "from_port"), req.fromAddress(), req.toIp(),
        port(model, caller, req.toPort(), "to_port"), req.protocol(), req.srcPort(),
        req.dstPort(), req.icmpType(), req.icmpCode(), req.srcIp(), req.srcMac());
    TraceStart.Start start;
    try {
      start = TraceStart.of(model, bindings, spec);
    } catch (TraceStart.BadSpec e) {
      throw Rejection.invalid(e.field, e.getMessage());
    }
    if (start.source() == null && !caller.isAdmin() && !ownsFloatingIp(model, caller, req.toIp())) {
      throw Rejection.invalid("to_ip", "from outside, to_ip must be a floating IP whose port is "
          + "bound on a host with an uplink");
    }
    String packet = describe(start.packet(), new FlowNames(model, bindings, start.host(), owners));
    if (start.unsendable() != null) {
      return new TraceAnswer(live, "not sent: " + start.unsendable(), packet, List.of(), List.of(),
          List.of());
    }
    Map<String, DesiredState> liveState = new LinkedHashMap<>();
    OverlayTrace walker = new OverlayTrace(model, bindings, host -> {
      if (!live) {
        return Optional.ofNullable(model.hosts().get(host))
            .filter(h -> bindings.connected(host))
            .map(h -> engine.desiredState(h.datapathId()));
      }
      return engine.switchOf(host).map(sw -> liveState.computeIfAbsent(host,
          h -> SwitchFlows.read(sw).state())).map(actual -> walkable(actual,
          engine.desiredState(sw(model, host))));
    });
    OverlayTrace.Result result;
    try {
      result = walker.walk(start.host(), start.packet());
    } catch (IllegalStateException e) {
      throw new Rejection(Rejection.Reason.CONFLICT, "ambiguous_flows", null,
          "the flows cannot be walked: " + e.getMessage());
    }
    String verdict = new Verdict(model, owners, caller::sees).of(result, start.source());
    List<TraceAnswer.Hop> hops = result.hops().stream()
        .map(h -> hop(h, model, bindings, owners, caller)).toList();
    List<TraceAnswer.End> ends = result.outcomes().stream().map(o -> new TraceAnswer.End(
        o.kind().name().toLowerCase(), o.host(),
        o.port() != null ? FlowNames.portName(o.port()) : o.iface(), o.note())).toList();
    List<TraceAnswer.Drift> drift = live ? drift(model, bindings, owners, caller, liveState)
        : List.of();
    if (!drift.isEmpty()) {
      verdict += "; the switches differ from Ferry's desired state in " + drift.size()
          + " flow(s) (see drift)";
    }
    return new TraceAnswer(live, verdict, packet, hops, ends, drift);
  }

  /** A port by id, else by unique name, among the ports the caller sees; absent reads as 404. */
  static Port port(Model model, Principal caller, String ref, String field) {
    if (ref == null) {
      return null;
    }
    Port byId = model.ports().get(ref);
    if (byId != null && caller.sees(tenantOf(model, byId))) {
      return byId;
    }
    List<Port> named = model.ports().values().stream()
        .filter(p -> ref.equals(p.name()) && caller.sees(tenantOf(model, p))).toList();
    if (named.size() > 1) {
      throw Rejection.invalid(field, named.size() + " ports are named '" + ref + "'; give its id: "
          + named.stream().map(Port::id).sorted().collect(Collectors.joining(", ")));
    }
    if (named.isEmpty()) {
      throw new Rejection(Rejection.Reason.NOT_FOUND, "not_found", field,
          "port '" + ref + "' not found");
    }
    return named.get(0);
  }

  /** For filters (admin): a port by id or unique name, else 422 naming the field. */
  static Port portOrInvalid(Model model, String ref, String field) {
    try {
      return port(model, Principal.ADMIN, ref, field);
    } catch (Rejection e) {
      throw Rejection.invalid(field, e.getMessage());
    }
  }

  static String tenantOf(Model model, Port p) {
    Network n = model.networks().get(p.networkId());
    return n == null ? null : n.tenantId();
  }

  private static boolean ownsFloatingIp(Model model, Principal caller, String ip) {
    return model.floatingIps().values().stream()
        .anyMatch(f -> f.ip() != null && f.ip().equals(ip) && caller.sees(f.tenantId()));
  }

  private static TraceAnswer.Hop hop(OverlayTrace.Hop h, Model model, Bindings bindings,
      FlowOwners owners, Principal caller) {
    FlowNames names = new FlowNames(model, bindings, h.host(), owners);
    FlowEntry f = h.flow();
    return new TraceAnswer.Hop(h.host(), h.table(), h.tableId(),
        f == null || !caller.isAdmin() ? null : FlowText.flow(f, style(f)),
        f == null ? null : FlowText.flow(f, style(f), visibleNames(names, owners, caller)),
        f == null, f == null ? null : owner(owners, f.cookie(), caller));
  }

  static FlowText.Style style(FlowEntry f) {
    return dev.ferry.apps.pipeline.Table.isDeclared(f.tableId()) ? FlowText.Style.NAMED
        : FlowText.Style.OVS;
  }

  /** Names, except that another tenant's objects stay anonymous. */
  static FlowText.Names visibleNames(FlowNames names, FlowOwners owners, Principal caller) {
    return new FlowText.Names() {
      @Override
      public String port(int ofPort) {
        return names.port(ofPort);
      }

      @Override
      public String metadata(long value, Long mask) {
        return names.metadata(value, mask);
      }

      @Override
      public String tunnelDst(String ip) {
        String host = names.tunnelDst(ip);
        return host != null || caller.isAdmin() ? host : "another-host";
      }

      @Override
      public String cookie(long cookie) {
        var o = owners.of(cookie);
        if (o.isPresent() && o.get().tenantId() != null && !caller.sees(o.get().tenantId())) {
          return o.get().app() + ":another-tenant";
        }
        return names.cookie(cookie);
      }
    };
  }

  static TraceAnswer.Owner owner(FlowOwners owners, long cookie, Principal caller) {
    return owners.of(cookie).map(o -> o.tenantId() != null && !caller.sees(o.tenantId())
            ? new TraceAnswer.Owner(o.app(), "other_tenant", null, null, null, null)
            : new TraceAnswer.Owner(o.app(), o.kind(), o.id(), o.name(), o.tenantId(),
                o.describe()))
        .orElse(null);
  }

  private List<TraceAnswer.Drift> drift(Model model, Bindings bindings, FlowOwners owners,
      Principal caller, Map<String, DesiredState> liveState) {
    List<TraceAnswer.Drift> out = new ArrayList<>();
    liveState.forEach((host, actual) -> {
      Host h = model.hosts().get(host);
      FlowDiff diff = FlowDiff.between(engine.desiredState(h.datapathId()).flows(), actual.flows());
      FlowText.Names names = visibleNames(new FlowNames(model, bindings, host, owners), owners, caller);
      diff.add().forEach(f -> add(out, host, "missing", f, names, owners, caller));
      diff.delete().forEach(f -> add(out, host, "unexpected", f, names, owners, caller));
      diff.modify().forEach(c -> add(out, host, "changed", c.actual(), names, owners, caller));
    });
    return out;
  }

  private static void add(List<TraceAnswer.Drift> out, String host, String kind, FlowEntry f,
      FlowText.Names names, FlowOwners owners, Principal caller) {
    var o = owners.of(f.cookie());
    if (o.isPresent() && o.get().tenantId() != null && !caller.sees(o.get().tenantId())) {
      return;
    }
    if (!caller.isAdmin() && (o.isEmpty() || o.get().tenantId() == null)) {
      return; // infrastructure flows are the operator's business
    }
    out.add(new TraceAnswer.Drift(host, kind, FlowText.flow(f, style(f), names),
        owner(owners, f.cookie(), caller)));
  }

  /** The packet as the first table sees it, in ovs-ofctl field names, ports named. */
  static String describe(Packet p, FlowNames names) {
    var match = org.projectfloodlight.openflow.protocol.OFFactories
        .getFactory(org.projectfloodlight.openflow.protocol.OFVersion.OF_13).buildMatch();
    p.fields().forEach((field, value) -> {
      if (!field.equals(org.projectfloodlight.openflow.protocol.match.MatchField.METADATA)) {
        setExact(match, field, value);
      }
    });
    return FlowText.match(match.build(), names);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void setExact(org.projectfloodlight.openflow.protocol.match.Match.Builder b,
      org.projectfloodlight.openflow.protocol.match.MatchField field,
      org.projectfloodlight.openflow.types.OFValueType value) {
    b.setExact(field, value);
  }
}
