package dev.ferry.controller.engine;

import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.nat.NextHops;
import dev.ferry.apps.nat.Uplink;
import dev.ferry.apps.nat.UplinkArp;
import dev.ferry.controller.store.Store;
import dev.ferry.controller.store.UplinkNextHop;
import dev.ferry.southbound.SwitchHandle;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The uplink edge: resolves each host's next hop MAC by ARP from the controller, answers ARP
 * for the host's external address and floating IPs, and announces floating IPs that appear or
 * move with gratuitous ARP. The learned MACs ({@link NextHops}) are kept in the store
 * ({@link UplinkNextHop}), so a restarted controller or a reconnected switch compiles the same
 * north-south flows at once (0 flow-mods to a converged switch) instead of dropping them until
 * the next hop answers again; on every connect the next hop is asked again, and a newly
 * learned or changed MAC triggers a reconcile of that host. A kept MAC for another next-hop
 * address than the host's uplink names now is forgotten.
 */
final class UplinkService {
  private static final Logger LOG = LogManager.getLogger(UplinkService.class);

  /** Host -> its next hop's address and MAC as last answered (loaded from the store). */
  private final Map<String, UplinkNextHop> nextHops = new ConcurrentHashMap<>();
  /** Hosts whose next hop answered since their switch last connected. */
  private final Set<String> answered = ConcurrentHashMap.newKeySet();
  private final Store store;
  /** Host -> the floating IPs last announced there (to announce only what is new). */
  private final Map<String, Set<IPv4Address>> announced = new ConcurrentHashMap<>();
  private final Consumer<String> reconcileHost;
  /** Host -> the last north-south summary logged (logged again only when it changes). */
  private final Map<String, String> summaries = new ConcurrentHashMap<>();

  UplinkService(Consumer<String> reconcileHost, Store store) {
    this.reconcileHost = reconcileHost;
    this.store = store;
    nextHops.putAll(store.uplinkNextHops());
  }

  NextHops nextHops() {
    Map<String, MacAddress> macs = new java.util.HashMap<>();
    nextHops.forEach((host, hop) -> macs.put(host, MacAddress.of(hop.mac())));
    return new NextHops(macs);
  }

  /** True when the packet-in came from the host's uplink (handled here, answered or learned). */
  boolean handle(SwitchHandle sw, String host, int inPort, byte[] frame, Model model, Bindings bindings) {
    Optional<Uplink> uplink = Uplink.of(model, bindings, host);
    if (uplink.isEmpty() || uplink.get().ofPort() != inPort) {
      return false;
    }
    UplinkArp.nextHopMac(uplink.get(), frame)
        .ifPresent(mac -> learned(new UplinkNextHop(host, uplink.get().nextHop().toString(), mac.toString())));
    UplinkArp.answer(uplink.get(), frame).ifPresent(reply -> send(sw, inPort, reply));
    return true;
  }

  private void learned(UplinkNextHop hop) {
    answered.add(hop.host());
    UplinkNextHop old = nextHops.put(hop.host(), hop);
    if (!hop.equals(old)) {
      LOG.info("[{}] uplink next hop {} is at {}", hop.host(), hop.nextHop(), hop.mac());
      store.saveUplinkNextHop(hop);
      reconcileHost.accept(hop.host());
    }
  }

  /**
   * On a model or binding change of the host: forget a kept MAC of another next-hop address, ask for the
   * next hop until it answered since the switch connected (every reconcile retries), and
   * announce floating IPs not announced since the switch connected.
   */
  void reactToChange(SwitchHandle sw, String host, Model model, Bindings bindings) {
    Optional<Uplink> uplink = Uplink.of(model, bindings, host);
    if (uplink.isEmpty()) {
      return;
    }
    Uplink u = uplink.get();
    nextHops.computeIfPresent(host, (h, hop) -> hop.nextHop().equals(u.nextHop().toString()) ? hop : null);
    if (!answered.contains(host)) {
      send(sw, u.ofPort(), UplinkArp.resolveNextHop(u));
    }
    logSummary(host, model, bindings, u);
    Set<IPv4Address> now = Set.copyOf(u.floatingIps().stream().map(Uplink.Mapping::publicIp).toList());
    Set<IPv4Address> before = announced.getOrDefault(host, Set.of());
    now.stream().filter(ip -> !before.contains(ip)).forEach(ip -> {
      LOG.info("[{}] announcing floating ip {} on the uplink", host, ip);
      send(sw, u.ofPort(), UplinkArp.announce(u, ip));
    });
    announced.put(host, now);
  }

  /**
   * Which tenant's traffic this host NATs and how, or drops and why; one line per host, logged
   * when it changes (the compile that follows installs exactly this).
   */
  private void logSummary(String host, Model model, Bindings bindings, Uplink u) {
    java.util.TreeMap<String, List<String>> byTenant = new java.util.TreeMap<>();
    for (var p : model.portsOnHost(host)) {
      var n = model.networks().get(p.networkId());
      if (n == null || p.ip() == null || p.interfaceName() == null
          || bindings.ofPort(host, p.interfaceName()).isEmpty()) {
        continue;
      }
      String tenant = Optional.ofNullable(model.tenants().get(n.tenantId()))
          .map(t -> t.name()).orElse(n.tenantId());
      String how = n.gatewayHost() != null ? "central gateway " + n.gatewayHost() + " (not NATed here)"
          : n.gatewayIp() == null ? "dropped (network has no gateway)"
          : u.mappingOfPort(p.id()).map(m -> "floating " + m.publicIp())
              .orElse("SNAT as " + u.address());
      byTenant.computeIfAbsent(tenant, k -> new java.util.ArrayList<>()).add(p.name() + " " + how);
    }
    String summary = byTenant.toString()
        + (nextHops.containsKey(host) ? "" : "; all outbound dropped: next hop " + u.nextHop() + " not resolved yet");
    if (!summary.equals(summaries.put(host, summary))) {
      LOG.info("[{}] north-south by tenant: {}", host, summary);
    }
  }

  /**
   * A reconnected switch asks for its next hop again and re-announces (the outside may have
   * moved on); until the answer, it keeps the MAC it had, so its flows stay as they are.
   */
  void switchConnected(String host) {
    answered.remove(host);
    announced.remove(host);
  }

  private static void send(SwitchHandle sw, int port, byte[] frame) {
    sw.packetOut(OFPort.CONTROLLER, List.of(sw.factory().actions().output(OFPort.of(port), 0xffff)), frame);
  }
}
