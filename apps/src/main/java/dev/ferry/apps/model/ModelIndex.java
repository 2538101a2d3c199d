package dev.ferry.apps.model;

import com.google.common.cache.CacheBuilder;
import com.google.common.cache.CacheLoader;
import com.google.common.cache.LoadingCache;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * Lookups a snapshot answers often (ports of a network, ports on a host, host by datapath id,
 * network by VNI), built once per snapshot on first use. Snapshots are immutable, so the index
 * never goes stale; it is keyed by identity and dropped with its snapshot. This keeps the
 * packet-in path and per-host compiles from scanning every port of the model.
 */
final class ModelIndex {
  private static final LoadingCache<Model, ModelIndex> CACHE = CacheBuilder.newBuilder()
      .weakKeys() // identity, and gone when the snapshot is
      .build(CacheLoader.from(ModelIndex::new));

  final Map<String, List<Port>> portsByNetwork = new HashMap<>();
  final Map<String, List<Port>> portsByHost = new HashMap<>();
  final Map<Long, Host> hostsByDatapathId = new HashMap<>();
  final Map<Integer, Network> networksByVni = new HashMap<>();
  /** network id -> (IPv4 address as int -> port): ARP answers without parsing every port's ip. */
  final Map<String, Map<Integer, Port>> portsByNetworkIp = new HashMap<>();
  /** network id -> (IPv4 address as int -> that port's MAC), parsed once per snapshot. */
  final Map<String, Map<Integer, MacAddress>> macsByNetworkIp = new HashMap<>();
  /** network id -> its gateway address, parsed once per snapshot (networks without one absent). */
  final Map<String, IPv4Address> gatewaysByNetwork = new HashMap<>();
  /** host name -> (OVS interface name -> port): packet-ins find their port by the bound interface. */
  final Map<String, Map<String, Port>> portsByHostInterface = new HashMap<>();
  /** Values derived from this snapshot alone, computed on first use ({@link Model#derived}). */
  final Map<String, Object> derived = new java.util.concurrent.ConcurrentHashMap<>();

  private ModelIndex(Model m) {
    for (Port p : m.ports().values()) {
      portsByNetwork.computeIfAbsent(p.networkId(), k -> new ArrayList<>()).add(p);
      if (p.host() != null) {
        portsByHost.computeIfAbsent(p.host(), k -> new ArrayList<>()).add(p);
        if (p.interfaceName() != null) {
          portsByHostInterface.computeIfAbsent(p.host(), k -> new HashMap<>())
              .putIfAbsent(p.interfaceName(), p);
        }
      }
      if (p.ip() != null) {
        int ip = IPv4Address.of(p.ip()).getInt();
        Port first = portsByNetworkIp.computeIfAbsent(p.networkId(), k -> new HashMap<>()).putIfAbsent(ip, p);
        if (first == null && p.mac() != null) {
          macsByNetworkIp.computeIfAbsent(p.networkId(), k -> new HashMap<>()).put(ip, MacAddress.of(p.mac()));
        }
      }
    }
    portsByNetwork.replaceAll((k, v) -> List.copyOf(v));
    portsByHost.replaceAll((k, v) -> List.copyOf(v));
    m.hosts().values().forEach(h -> hostsByDatapathId.put(h.datapathId(), h));
    m.networks().values().forEach(n -> networksByVni.put(n.vni(), n));
    m.networks().values().stream().filter(n -> n.gatewayIp() != null)
        .forEach(n -> gatewaysByNetwork.put(n.id(), IPv4Address.of(n.gatewayIp())));
  }

  static ModelIndex of(Model m) {
    return CACHE.getUnchecked(m);
  }
}
