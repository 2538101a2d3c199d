package dev.ferry.tests.bench;

import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.model.Tenant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One rack of ScaleBench's layout, built in process for the compile benchmarks: tenant t0 with
 * 10 networks; hosts host0..host(rack-1), each with {@code portsPerHost} ports spread over the
 * networks in turn and bound to OpenFlow ports 2.. (the VXLAN port is 1). Mutable: a benchmark
 * adds ports and takes a new snapshot.
 */
final class RackLayout {
  static final int NETWORKS = 10;

  final List<Tenant> tenants = List.of(new Tenant("t0", "t0", 1));
  final List<Network> networks = new ArrayList<>();
  final List<Host> hosts = new ArrayList<>();
  final List<Port> ports = new ArrayList<>();
  /** Host name to interface name to OpenFlow port number. */
  final Map<String, Map<String, Integer>> ofPorts = new HashMap<>();

  static RackLayout of(int portsPerHost, int rack) {
    RackLayout layout = new RackLayout();
    for (int n = 0; n < NETWORKS; n++) {
      layout.networks.add(new Network("n" + n, "t0", "n" + n, 0x10000 + n, "10." + n + ".0.0/16",
          "10." + n + ".0.1", true, 1450, List.of(), null, 1));
    }
    for (int h = 0; h < rack; h++) {
      String name = "host" + h;
      layout.hosts.add(new Host(name, h + 1, "192.168.0." + (h + 2), null, 1));
      layout.ofPorts.put(name, new HashMap<>(Map.of("vxlan0", 1)));
      for (int i = 0; i < portsPerHost; i++) {
        layout.addPort(name, h * portsPerHost + i, i % NETWORKS, 2 + i);
      }
    }
    return layout;
  }

  /** Port p{id} in network n{network}, on {@code host}, bound to OpenFlow port {@code ofPort}. */
  void addPort(String host, int id, int network, int ofPort) {
    Network n = networks.get(network);
    ports.add(new Port("p" + id, n.id(), "p" + id,
        String.format("02:00:%02x:%02x:%02x:%02x", (id >> 24) & 0xff, (id >> 16) & 0xff,
            (id >> 8) & 0xff, id & 0xff),
        "10." + network + "." + (id / 250 % 250) + "." + (2 + id % 250), host, "if" + id, true, 1));
    ofPorts.get(host).put("if" + id, ofPort);
  }

  /** A snapshot of the layout as it is now (no security groups). */
  Model model() {
    return Model.of(tenants, networks, ports, hosts, List.of());
  }

  Bindings bindings() {
    return new Bindings(ofPorts);
  }
}
