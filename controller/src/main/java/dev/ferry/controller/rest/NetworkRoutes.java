package dev.ferry.controller.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.ferry.apps.model.Network;
import dev.ferry.controller.store.Rejection;
import dev.ferry.controller.store.Resource;
import dev.ferry.controller.store.Store;
import io.javalin.Javalin;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.Objects;

/** /v1/networks: a tenant sees and changes only its own. */
final class NetworkRoutes implements RestRoutes, ResourceRoutes.Spec<Network, NetworkRoutes.Input> {

  static final int DEFAULT_MTU = 1450;

  @JsonIgnoreProperties({"revision"})
  record Input(String id, String tenant, String name, Integer vni, String cidr, String gatewayIp,
      Boolean dhcp, Integer mtu, List<String> dnsServers, String gatewayHost) {

    static Input of(Network n) {
      return new Input(n.id(), n.tenantId(), n.name(), n.vni(), n.cidr(), n.gatewayIp(), n.dhcp(),
          n.mtu(), n.dnsServers(), n.gatewayHost());
    }

    Network toNetwork(String id, String tenant) {
      if (vni != null && vni == 0) {
        throw Rejection.invalid("vni", "vni must be 1..16777215; leave it out to have one allocated");
      }
      if (dnsServers != null && dnsServers.contains(null)) {
        throw Rejection.invalid("dns_servers[" + dnsServers.indexOf(null) + "]", "dns_servers may not contain null");
      }
      return new Network(id, tenant, name, vni == null ? 0 : vni, cidr, gatewayIp,
          dhcp == null || dhcp, mtu == null ? DEFAULT_MTU : mtu, dnsServers, gatewayHost, 0);
    }
  }

  record View(String id, String tenant, String name, int vni, String cidr, String gatewayIp,
      boolean dhcp, int mtu, List<String> dnsServers, String gatewayHost, long revision) {
    static View of(Network n) {
      return new View(n.id(), n.tenantId(), n.name(), n.vni(), n.cidr(), n.gatewayIp(), n.dhcp(),
          n.mtu(), n.dnsServers(), n.gatewayHost(), n.revision());
    }
  }

  private final Store store;

  NetworkRoutes(Store store) {
    this.store = store;
  }

  @Override
  public void register(Javalin app) {
    new ResourceRoutes<>(store, Resource.NETWORKS, "/v1/networks", Input.class, this).register(app);
  }

  @Override
  public boolean sees(Principal p, Network n) {
    return p.sees(n.tenantId());
  }

  @Override
  public Map<String, BiPredicate<Network, String>> filters() {
    return Map.of("tenant", (n, tenant) -> tenant.equals(n.tenantId()));
  }


  @Override
  public Input inputOf(Network n) {
    return Input.of(n);
  }

  @Override
  public Network toRecord(Principal p, Input in, Network old) {
    if (old == null) {
      String tenant = Scope.tenantForCreate(p, in.tenant());
      Scope.generatedIdUnlessAdmin(p, in.id());
      if (!p.isAdmin()) {
        Scope.adminOnlyField("vni", in.vni(), null);
        Scope.adminOnlyField("gateway_host", in.gatewayHost(), null);
      }
      return in.toNetwork(in.id(), tenant);
    }
    Requests.sameId(in.id(), old.id());
    if (!p.isAdmin()) {
      Scope.adminOnlyField("vni", in.vni(), old.vni());
      Scope.adminOnlyField("gateway_host", in.gatewayHost(), old.gatewayHost());
    }
    if (in.tenant() != null && !Objects.equals(in.tenant(), old.tenantId())) {
      throw Rejection.invalid("tenant", "a network cannot move to another tenant");
    }
    Network proposed = in.toNetwork(old.id(), old.tenantId());
    if (!p.isAdmin()) {
      // A tenant's PUT that leaves gateway_host out must not clear the operator's choice.
      proposed = new Network(proposed.id(), proposed.tenantId(), proposed.name(), proposed.vni(),
          proposed.cidr(), proposed.gatewayIp(), proposed.dhcp(), proposed.mtu(),
          proposed.dnsServers(), old.gatewayHost(), 0);
    }
    return proposed;
  }

  @Override
  public View view(Network n) {
    return View.of(n);
  }
}
