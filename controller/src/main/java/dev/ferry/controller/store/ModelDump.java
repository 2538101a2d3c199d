package dev.ferry.controller.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ferry.apps.model.FloatingIp;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.model.SecurityGroup;
import dev.ferry.apps.model.SecurityGroupRule;
import dev.ferry.apps.model.Tenant;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The whole model as one JSON document, for {@code ferry store export} / {@code import}: moving
 * between SQLite and etcd, and backups. Records are in the store's own JSON form; tokens go as
 * their hashes (so issued tokens keep working after an import, and the file holds no secret).
 *
 * <p>Import goes through the target store's ordinary creates, so the same rules validate every
 * object; ids, VNIs, addresses and MACs are kept as exported, object revisions restart at 1.
 */
public record ModelDump(String format, int formatVersion, long modelVersion, List<Tenant> tenants,
    List<Host> hosts, List<Network> networks, List<Port> ports, List<ExternalPool> pools,
    List<FloatingIp> floatingIps, Map<String, String> tokenHashes, List<SecurityGroup> securityGroups,
    List<SecurityGroupRule> securityGroupRules) {

  public static final String FORMAT = "ferry-model";
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .setSerializationInclusion(JsonInclude.Include.ALWAYS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public ModelDump {
    tenants = List.copyOf(tenants);
    hosts = List.copyOf(hosts);
    networks = List.copyOf(networks);
    ports = List.copyOf(ports);
    pools = pools == null ? List.of() : List.copyOf(pools);
    floatingIps = List.copyOf(floatingIps);
    tokenHashes = new TreeMap<>(tokenHashes);
    // absent in dumps from before security groups
    securityGroups = securityGroups == null ? List.of() : List.copyOf(securityGroups);
    securityGroupRules = securityGroupRules == null ? List.of() : List.copyOf(securityGroupRules);
  }

  /** Everything the store holds now, in a stable order (by id). */
  public static ModelDump of(Store store) {
    Model m = store.snapshot();
    return new ModelDump(FORMAT, 1, m.version(),
        sorted(m.tenants().values(), Comparator.comparing(Tenant::id)),
        sorted(m.hosts().values(), Comparator.comparing(Host::name)),
        sorted(m.networks().values(), Comparator.comparing(Network::id)),
        sorted(m.ports().values(), Comparator.comparing(Port::id)),
        sorted(store.list(Resource.POOLS), Comparator.comparing(ExternalPool::name)),
        sorted(m.floatingIps().values(), Comparator.comparing(FloatingIp::id)),
        store.tokenHashes(),
        sorted(m.securityGroups().values(), Comparator.comparing(SecurityGroup::id)),
        sorted(m.securityGroupRules().values(), Comparator.comparing(SecurityGroupRule::id)));
  }

  private static <T> List<T> sorted(java.util.Collection<T> items, Comparator<T> order) {
    return items.stream().sorted(order).toList();
  }

  /** Creates every object in an empty store, parents first; refuses a store that holds anything. */
  public void restoreInto(Store target) {
    Model m = target.snapshot();
    if (!m.tenants().isEmpty() || !m.hosts().isEmpty() || !m.networks().isEmpty()) {
      throw new IllegalArgumentException("the target store is not empty (" + m.tenants().size() + " tenants, "
          + m.hosts().size() + " hosts, " + m.networks().size() + " networks): import only into a new store");
    }
    tenants.forEach(x -> target.create(Resource.TENANTS, x));
    // A tenant comes with its default group and rules: create only what it does not have yet.
    // Groups before rules (a rule may name another group as its remote), both before ports.
    securityGroups.stream().filter(g -> target.get(Resource.SECURITY_GROUPS, g.id()).isEmpty()).forEach(x -> target.create(Resource.SECURITY_GROUPS, x));
    securityGroupRules.stream().filter(r -> target.get(Resource.SECURITY_GROUP_RULES, r.id()).isEmpty())
        .forEach(x -> target.create(Resource.SECURITY_GROUP_RULES, x));
    hosts.forEach(x -> target.create(Resource.HOSTS, x));
    networks.forEach(x -> target.create(Resource.NETWORKS, x));
    ports.forEach(x -> target.create(Resource.PORTS, x));
    pools.forEach(x -> target.create(Resource.POOLS, x));
    floatingIps.forEach(f -> target.createFloatingIp(f, null));
    tokenHashes.forEach((hash, tenant) -> target.restoreTokenHash(hash, tenant));
  }

  public void write(OutputStream out) throws IOException {
    JSON.writeValue(out, this);
  }

  public static ModelDump read(InputStream in) throws IOException {
    com.fasterxml.jackson.databind.JsonNode tree = JSON.readTree(in);
    String format = tree.path("format").asText(null);
    int v = tree.path("formatVersion").asInt(0);
    if (!FORMAT.equals(format) || v != 1) {
      throw new IllegalArgumentException("not a Ferry model export (format '" + format + "' v" + v
          + "; expected '" + FORMAT + "' v1)");
    }
    return JSON.treeToValue(tree, ModelDump.class);
  }

  /** The same dump with every object revision set to 1 and no model version: what an import restores. */
  public ModelDump asImported() {
    return new ModelDump(format, formatVersion, 0,
        tenants.stream().map(t -> new Tenant(t.id(), t.name(), 1)).toList(),
        hosts.stream().map(h -> new Host(h.name(), h.datapathId(), h.tunnelIp(), h.uplink(), 1)).toList(),
        networks.stream().map(n -> new Network(n.id(), n.tenantId(), n.name(), n.vni(), n.cidr(), n.gatewayIp(),
            n.dhcp(), n.mtu(), n.dnsServers(), n.gatewayHost(), 1)).toList(),
        ports.stream().map(p -> new Port(p.id(), p.networkId(), p.name(), p.mac(), p.ip(), p.host(),
            p.interfaceName(), p.portSecurity(), p.securityGroups(), p.allowedAddressPairs(), 1)).toList(),
        pools.stream().map(p -> new ExternalPool(p.name(), p.cidr(), p.ranges(), 1)).toList(),
        floatingIps.stream().map(f -> new FloatingIp(f.id(), f.tenantId(), f.ip(), f.portId(), 1)).toList(),
        tokenHashes,
        securityGroups.stream().map(g -> new SecurityGroup(g.id(), g.tenantId(), g.name(), g.description(), 1)).toList(),
        securityGroupRules.stream().map(r -> new SecurityGroupRule(r.id(), r.securityGroupId(), r.direction(),
            r.protocol(), r.portRangeMin(), r.portRangeMax(), r.icmpType(), r.icmpCode(), r.remoteIpPrefix(),
            r.remoteGroupId(), 1)).toList());
  }
}
