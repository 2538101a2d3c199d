package dev.ferry.controller.engine;

import dev.ferry.apps.model.Bindings;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runtime half of the model: which OVS interface name has which OpenFlow port number on
 * each connected switch, as the switches report it. Kept by datapath id, because a switch may
 * connect before its host is registered; {@link #snapshot} names them by host. Never stored:
 * the switch is the authority on its own ports.
 */
final class BindingTable {
  private final Map<Long, Map<String, Integer>> byDpid = new ConcurrentHashMap<>();

  void connected(long dpid, Map<String, Integer> ports) {
    byDpid.put(dpid, new ConcurrentHashMap<>(ports));
  }

  void disconnected(long dpid) {
    byDpid.remove(dpid);
  }

  boolean isConnected(long dpid) {
    return byDpid.containsKey(dpid);
  }

  /** Returns true when the binding changed. */
  boolean portUp(long dpid, String name, int ofPort) {
    Map<String, Integer> ports = byDpid.get(dpid);
    return ports != null && !Integer.valueOf(ofPort).equals(ports.put(name, ofPort));
  }

  /** Returns true when the binding changed. */
  boolean portDown(long dpid, String name) {
    Map<String, Integer> ports = byDpid.get(dpid);
    return ports != null && ports.remove(name) != null;
  }

  Integer ofPort(long dpid, String name) {
    Map<String, Integer> ports = byDpid.get(dpid);
    return ports == null ? null : ports.get(name);
  }

  /** The bindings of every connected switch whose datapath id is a registered host. */
  Bindings snapshot(Model model) {
    Map<String, Map<String, Integer>> byHost = new HashMap<>();
    for (Host h : model.hosts().values()) {
      Map<String, Integer> ports = byDpid.get(h.datapathId());
      if (ports != null) {
        byHost.put(h.name(), ports);
      }
    }
    return new Bindings(byHost);
  }
}
