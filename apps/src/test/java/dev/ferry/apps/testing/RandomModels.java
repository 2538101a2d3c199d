package dev.ferry.apps.testing;

import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.AddressPair;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.model.Tenant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random models made to collide: few CIDRs, few IPs and a small MAC pool shared by all
 * networks, so tenants reuse each other's addresses (and a tenant's own networks sometimes
 * overlap, sometimes are routable); ports spread over hosts, some unplaced, some not bound on
 * their host. MACs and IPs stay unique inside one network.
 */
public final class RandomModels {
  private static final String[] CIDR_PREFIXES = {"10.0.0.", "10.0.1.", "172.17.42."};
  private static final int MAC_POOL = 10;

  public record Scenario(Model model, Bindings bindings) {}

  private RandomModels() {}

  public static Scenario generate(long seed) {
    Random r = new Random(seed);
    List<Host> hosts = hosts(2 + r.nextInt(3));
    List<Tenant> tenants = new ArrayList<>();
    List<Network> networks = new ArrayList<>();
    List<Port> ports = new ArrayList<>();
    Set<Integer> vnis = new LinkedHashSet<>();
    for (int t = 0; t < 1 + r.nextInt(4); t++) {
      tenants.add(new Tenant("t" + t, "tenant " + t, 1));
      for (int n = 0; n < 1 + r.nextInt(3); n++) {
        Network net = network(r, "t" + t, "t" + t + "n" + n, vnis);
        networks.add(net);
        ports.addAll(ports(r, net, hosts));
      }
    }
    Model model = Model.of(tenants, networks, ports, hosts, List.of()).withDefaultGroups();
    return new Scenario(model, bindings(r, hosts, ports));
  }

  private static List<Host> hosts(int count) {
    List<Host> hosts = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      hosts.add(new Host("h" + i, i, "192.168.5." + (i + 1), null, 1));
    }
    return hosts;
  }

  private static Network network(Random r, String tenant, String id, Set<Integer> vnis) {
    int vni;
    do {
      vni = 1 + r.nextInt(300);
    } while (!vnis.add(vni));
    String prefix = CIDR_PREFIXES[r.nextInt(CIDR_PREFIXES.length)];
    return new Network(id, tenant, id, vni, prefix + "0/24", prefix + "1", true, 1450,
        List.of(), null, 1);
  }

  private static List<Port> ports(Random r, Network net, List<Host> hosts) {
    List<Port> ports = new ArrayList<>();
    List<Integer> macs = shuffled(r, MAC_POOL);
    List<Integer> ips = shuffled(r, 10);
    String prefix = net.cidr().substring(0, net.cidr().lastIndexOf('.') + 1);
    for (int i = 0; i < 1 + r.nextInt(6); i++) {
      String host = r.nextInt(10) == 0 ? null : hosts.get(r.nextInt(hosts.size())).name();
      String id = net.id() + "p" + i;
      // every third MAC number shares the network's VIP .50 as an allowed address pair (decided
      // without drawing from r, so the rest of each seed's model stays as it was)
      List<AddressPair> pairs = macs.get(i) % 3 == 0 ? List.of(new AddressPair(prefix + "50", null)) : List.of();
      ports.add(new Port(id, net.id(), id, String.format("02:00:00:00:00:%02x", macs.get(i)),
          prefix + (2 + ips.get(i)), host, "if-" + id, r.nextInt(4) != 0, null, pairs, 1));
    }
    return ports;
  }

  private static List<Integer> shuffled(Random r, int n) {
    List<Integer> values = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      values.add(i);
    }
    java.util.Collections.shuffle(values, r);
    return values;
  }

  /** vxlan0 is port 1 everywhere; about one placed port in eight is not bound yet. */
  private static Bindings bindings(Random r, List<Host> hosts, List<Port> ports) {
    Map<String, Map<String, Integer>> byHost = new HashMap<>();
    hosts.forEach(h -> byHost.put(h.name(), new HashMap<>(Map.of("vxlan0", 1))));
    for (Port p : ports) {
      if (p.host() != null && r.nextInt(8) != 0) {
        Map<String, Integer> m = byHost.get(p.host());
        m.put(p.interfaceName(), m.size() + 1);
      }
    }
    return new Bindings(byHost);
  }
}
