package dev.ferry.apps.model;

import java.util.Map;
import java.util.OptionalInt;

/**
 * The runtime view that switches report: which OVS port name has which OpenFlow port number
 * on which host. Not stored; rebuilt from port-status as switches connect.
 *
 * @param ofPorts host name -> (OVS interface name -> OpenFlow port number)
 */
public record Bindings(Map<String, Map<String, Integer>> ofPorts) {

  public static final Bindings EMPTY = new Bindings(Map.of());

  public Bindings {
    ofPorts = ofPorts.entrySet().stream()
        .collect(java.util.stream.Collectors.toUnmodifiableMap(
            Map.Entry::getKey, e -> Map.copyOf(e.getValue())));
  }

  public OptionalInt ofPort(String host, String interfaceName) {
    Integer n = ofPorts.getOrDefault(host, Map.of()).get(interfaceName);
    return n == null ? OptionalInt.empty() : OptionalInt.of(n);
  }

  public boolean connected(String host) {
    return ofPorts.containsKey(host);
  }
}
