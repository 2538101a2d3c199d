package dev.ferry.apps.model;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;
import org.projectfloodlight.openflow.types.IPv4Address;

/**
 * Lookups a snapshot answers often (ports of a network, ports on a host, host by datapath id,
 * network by VNI, port by address or interface). Persistent: a changed snapshot's index is
 * the previous one with the changed objects filed again, O(changed objects x log n), sharing
 * everything else, so a write never rebuilds it over the whole model. Only a snapshot built
 * from plain maps (a test's or benchmark's, or the store's first) builds one from scratch
 * ({@link #of}), on first use. This keeps the packet-in path and per-host compiles from
 * scanning every port of the model.
 */
final class ModelIndex {
  static final ModelIndex EMPTY = new ModelIndex(Grouping.empty(), Grouping.empty(), Grouping.empty(),
      Grouping.empty(), Grouping.empty(), Grouping.empty(), Grouping.empty(), HashTreePMap.empty());

  /** A port's address inside its network. */
  record NetworkIp(String networkId, int ip) {}

  /** An OVS interface of a host. */
  record HostInterface(String host, String interfaceName) {}

  final Grouping<String, Port> portsByNetwork;
  final Grouping<String, Port> portsByHost;
  /** Ports by (network, IPv4 address as int): ARP answers without parsing every port's ip. */
  final Grouping<NetworkIp, Port> portsByNetworkIp;
  /** Ports by (host, OVS interface name): packet-ins find their port by the bound interface. */
  final Grouping<HostInterface, Port> portsByHostInterface;
  final Grouping<Long, Host> hostsByDatapathId;
  final Grouping<Integer, Network> networksByVni;
  final Grouping<String, Network> networksByTenant;
  /** network id -> its gateway address, parsed once (networks without one absent). */
  final PMap<String, IPv4Address> gatewaysByNetwork;
  /**
   * Values derived from this snapshot alone, computed on first use ({@link Model#derived}).
   * Not persistent: every changed snapshot starts with none.
   */
  final Map<String, Object> derived = new ConcurrentHashMap<>();

  private ModelIndex(Grouping<String, Port> portsByNetwork, Grouping<String, Port> portsByHost,
      Grouping<NetworkIp, Port> portsByNetworkIp, Grouping<HostInterface, Port> portsByHostInterface,
      Grouping<Long, Host> hostsByDatapathId, Grouping<Integer, Network> networksByVni,
      Grouping<String, Network> networksByTenant, PMap<String, IPv4Address> gatewaysByNetwork) {
    this.portsByNetwork = portsByNetwork;
    this.portsByHost = portsByHost;
    this.portsByNetworkIp = portsByNetworkIp;
    this.portsByHostInterface = portsByHostInterface;
    this.hostsByDatapathId = hostsByDatapathId;
    this.networksByVni = networksByVni;
    this.networksByTenant = networksByTenant;
    this.gatewaysByNetwork = gatewaysByNetwork;
  }

  /** The index of a whole model, from scratch: every object filed into the empty index. */
  static ModelIndex of(Model m) {
    ModelIndex i = EMPTY;
    for (Port p : m.ports().values()) {
      i = i.withPort(null, p);
    }
    for (Host h : m.hosts().values()) {
      i = i.withHost(null, h);
    }
    for (Network n : m.networks().values()) {
      i = i.withNetwork(null, n);
    }
    return i;
  }

  /** The same lookups for a snapshot with other content elsewhere (no derived values). */
  ModelIndex fresh() {
    return new ModelIndex(portsByNetwork, portsByHost, portsByNetworkIp, portsByHostInterface,
        hostsByDatapathId, networksByVni, networksByTenant, gatewaysByNetwork);
  }

  /** old replaced by now (either null: created or deleted). */
  ModelIndex withPort(Port old, Port now) {
    var byNetwork = portsByNetwork;
    var byHost = portsByHost;
    var byIp = portsByNetworkIp;
    var byInterface = portsByHostInterface;
    if (old != null) {
      byNetwork = byNetwork.minus(old.networkId(), old.id());
      byHost = byHost.minus(old.host(), old.id());
      byIp = byIp.minus(ipKey(old), old.id());
      byInterface = byInterface.minus(interfaceKey(old), old.id());
    }
    if (now != null) {
      byNetwork = byNetwork.plus(now.networkId(), now.id(), now);
      byHost = byHost.plus(now.host(), now.id(), now);
      byIp = byIp.plus(ipKey(now), now.id(), now);
      byInterface = byInterface.plus(interfaceKey(now), now.id(), now);
    }
    return new ModelIndex(byNetwork, byHost, byIp, byInterface, hostsByDatapathId, networksByVni,
        networksByTenant, gatewaysByNetwork);
  }

  ModelIndex withHost(Host old, Host now) {
    var byDpid = hostsByDatapathId;
    if (old != null) {
      byDpid = byDpid.minus(old.datapathId(), old.name());
    }
    if (now != null) {
      byDpid = byDpid.plus(now.datapathId(), now.name(), now);
    }
    return new ModelIndex(portsByNetwork, portsByHost, portsByNetworkIp, portsByHostInterface, byDpid,
        networksByVni, networksByTenant, gatewaysByNetwork);
  }

  ModelIndex withNetwork(Network old, Network now) {
    var byVni = networksByVni;
    var gateways = gatewaysByNetwork;
    var byTenant = networksByTenant;
    if (old != null) {
      byVni = byVni.minus(old.vni(), old.id());
      byTenant = byTenant.minus(old.tenantId(), old.id());
      gateways = gateways.minus(old.id());
    }
    if (now != null) {
      byVni = byVni.plus(now.vni(), now.id(), now);
      byTenant = byTenant.plus(now.tenantId(), now.id(), now);
      if (now.gatewayIp() != null) {
        gateways = gateways.plus(now.id(), IPv4Address.of(now.gatewayIp()));
      }
    }
    return new ModelIndex(portsByNetwork, portsByHost, portsByNetworkIp, portsByHostInterface,
        hostsByDatapathId, byVni, byTenant, gateways);
  }

  private static NetworkIp ipKey(Port p) {
    return p.ip() == null ? null : new NetworkIp(p.networkId(), IPv4Address.of(p.ip()).getInt());
  }

  private static HostInterface interfaceKey(Port p) {
    return p.host() == null || p.interfaceName() == null ? null : new HostInterface(p.host(), p.interfaceName());
  }

  /** Equal lookups (derived values aside): what the incremental-vs-scratch property test compares. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ModelIndex i && portsByNetwork.equals(i.portsByNetwork)
        && portsByHost.equals(i.portsByHost) && portsByNetworkIp.equals(i.portsByNetworkIp)
        && portsByHostInterface.equals(i.portsByHostInterface)
        && hostsByDatapathId.equals(i.hostsByDatapathId) && networksByVni.equals(i.networksByVni)
        && networksByTenant.equals(i.networksByTenant)
        && gatewaysByNetwork.equals(i.gatewaysByNetwork);
  }

  @Override
  public int hashCode() {
    return Objects.hash(portsByNetwork, portsByHost, hostsByDatapathId, networksByVni);
  }

  @Override
  public String toString() {
    return "ModelIndex[byNetwork=" + portsByNetwork + ", byHost=" + portsByHost + ", byIp=" + portsByNetworkIp
        + ", byInterface=" + portsByHostInterface + ", byDpid=" + hostsByDatapathId + ", byVni=" + networksByVni
        + ", gateways=" + gatewaysByNetwork + "]";
  }
}
