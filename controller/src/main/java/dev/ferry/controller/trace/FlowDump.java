package dev.ferry.controller.trace;

import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.pipeline.FlowText;
import dev.ferry.apps.pipeline.NetworkMetadata;
import dev.ferry.apps.pipeline.Table;
import dev.ferry.apps.trace.FlowNames;
import dev.ferry.apps.trace.FlowOwners;
import dev.ferry.controller.rest.Principal;
import dev.ferry.controller.store.Rejection;
import dev.ferry.southbound.flow.ActualState;
import dev.ferry.southbound.flow.FlowEntry;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFMetadata;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * A switch's flows for people: ports, networks, tunnel ends and owners by name, with the
 * switch's packet and byte counters, filtered by tenant, network, port or table.
 */
public final class FlowDump {

  /**
   * One flow as read from the switch.
   *
   * @param network the network the flow matches (from its metadata) or belongs to, if any
   */
  public record Entry(String table, int tableId, int priority, String flow,
      TraceAnswer.Owner owner, String network, Integer vni, long packets, long bytes) {}

  /** What to keep; null fields keep everything. Names or ids. */
  public record Filter(String tenant, String network, String port, String table) {}

  private FlowDump() {}

  public static List<Entry> of(Model model, Bindings bindings, Host host,
      List<OFFlowStatsEntry> stats, Filter filter) {
    FlowOwners owners = new FlowOwners(model);
    FlowNames names = new FlowNames(model, bindings, host.name(), owners);
    Optional<Network> network = filter.network() == null ? Optional.empty()
        : Optional.of(network(model, filter.network()));
    Optional<Port> port = filter.port() == null ? Optional.empty()
        : Optional.of(port(model, filter.port()));
    Integer table = filter.table() == null ? null : table(filter.table());
    int portOf = port.flatMap(p -> p.host() != null && p.host().equals(host.name())
        && p.interfaceName() != null
        ? bindings.ofPort(host.name(), p.interfaceName()).stream().boxed().findFirst()
        : Optional.empty()).orElse(-1);
    return stats.stream()
        .sorted(Comparator.comparingInt((OFFlowStatsEntry e) -> e.getTableId().getValue())
            .thenComparing(Comparator.comparingInt(OFFlowStatsEntry::getPriority).reversed()))
        .filter(e -> port.isEmpty() || portOf >= 0 && inPort(e) == portOf
            || ownedBy(owners, e, port.get().id()))
        .map(e -> entry(e, model, names, owners))
        .filter(e -> table == null || e.tableId() == table)
        .filter(e -> filter.tenant() == null || filter.tenant().equals(tenantOf(model, e)))
        .filter(e -> network.isEmpty() || Objects.equals(e.vni(), network.get().vni()))
        .toList();
  }

  private static int inPort(OFFlowStatsEntry e) {
    OFPort p = e.getMatch().get(MatchField.IN_PORT);
    return p == null ? -1 : p.getPortNumber();
  }

  private static boolean ownedBy(FlowOwners owners, OFFlowStatsEntry e, String id) {
    return owners.of(e.getCookie().getValue()).map(o -> id.equals(o.id())).orElse(false);
  }

  /** The tenant a flow serves: its owner's, else its network's; null for infrastructure. */
  private static String tenantOf(Model model, Entry e) {
    if (e.owner() != null && e.owner().tenant() != null) {
      return e.owner().tenant();
    }
    return e.vni() == null ? null : model.networkByVni(e.vni()).map(Network::tenantId).orElse(null);
  }


  private static Entry entry(OFFlowStatsEntry e, Model model, FlowNames names, FlowOwners owners) {
    FlowEntry f = ActualState.flow(e);
    FlowText.Style style = Table.isDeclared(f.tableId()) ? FlowText.Style.NAMED : FlowText.Style.OVS;
    TraceAnswer.Owner owner = TraceService.owner(owners, f.cookie(), Principal.ADMIN);
    Integer vni = vniOf(f);
    if (vni == null && owner != null && "network".equals(owner.kind())) {
      vni = Optional.ofNullable(model.networks().get(owner.id())).map(Network::vni).orElse(null);
    }
    if (vni == null && owner != null && "port".equals(owner.kind())) {
      vni = Optional.ofNullable(model.ports().get(owner.id()))
          .map(p -> model.networks().get(p.networkId())).map(Network::vni).orElse(null);
    }
    String net = vni == null ? null : model.networkByVni(vni).map(Network::name).orElse(null);
    return new Entry(Table.isDeclared(f.tableId()) ? Table.byId(f.tableId()).tableName()
        : Integer.toString(f.tableId()), f.tableId(), f.priority(),
        FlowText.flow(f, style, names), owner, net, vni,
        e.getPacketCount().getValue(), e.getByteCount().getValue());
  }

  private static Integer vniOf(FlowEntry f) {
    if (!f.match().isPartiallyMasked(MatchField.METADATA) && !f.match().isExact(MatchField.METADATA)) {
      return null;
    }
    OFMetadata md = f.match().isExact(MatchField.METADATA) ? f.match().get(MatchField.METADATA)
        : f.match().getMasked(MatchField.METADATA).getValue();
    int vni = NetworkMetadata.vniOf(md.getValue().getValue());
    return vni == 0 ? null : vni;
  }

  static Network network(Model model, String ref) {
    Network byId = model.networks().get(ref);
    if (byId != null) {
      return byId;
    }
    List<Network> named = model.networks().values().stream()
        .filter(n -> ref.equals(n.name())).toList();
    if (named.size() != 1) {
      throw Rejection.invalid("network", named.isEmpty() ? "no network '" + ref + "'"
          : named.size() + " networks are named '" + ref + "'; give its id");
    }
    return named.get(0);
  }

  static Port port(Model model, String ref) {
    return TraceService.portOrInvalid(model, ref, "port");
  }

  static int table(String ref) {
    for (Table t : Table.values()) {
      if (t.tableName().equals(ref)) {
        return t.id();
      }
    }
    try {
      int id = Integer.parseInt(ref);
      if (id >= 0 && id < 255) {
        return id;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw Rejection.invalid("table", "table must be a table name (classify, port_security, ...) "
        + "or a number 0..254");
  }
}
