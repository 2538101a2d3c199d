package dev.ferry.apps.model;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The runtime view that switches report: which OVS port name has which OpenFlow port number
 * on which host. Not stored; rebuilt from port-status as switches connect. Immutable; the
 * reverse map (OpenFlow port number -> interface) is built with it, because every packet-in
 * asks which interface its in_port is.
 */
public final class Bindings {

  public static final Bindings EMPTY = new Bindings(Map.of());

  private final Map<String, Map<String, Integer>> ofPorts;
  private final Map<String, Map<Integer, String>> interfaces;

  /** @param ofPorts host name -> (OVS interface name -> OpenFlow port number) */
  public Bindings(Map<String, Map<String, Integer>> ofPorts) {
    this.ofPorts = ofPorts.entrySet().stream()
        .collect(java.util.stream.Collectors.toUnmodifiableMap(
            Map.Entry::getKey, e -> Map.copyOf(e.getValue())));
    Map<String, Map<Integer, String>> reverse = new HashMap<>();
    this.ofPorts.forEach((host, byName) -> {
      Map<Integer, String> byNumber = new HashMap<>();
      byName.forEach((name, number) -> byNumber.put(number, name));
      reverse.put(host, byNumber);
    });
    this.interfaces = reverse;
  }

  /** host name -> (OVS interface name -> OpenFlow port number) */
  public Map<String, Map<String, Integer>> ofPorts() {
    return ofPorts;
  }

  public OptionalInt ofPort(String host, String interfaceName) {
    Integer n = ofPorts.getOrDefault(host, Map.of()).get(interfaceName);
    return n == null ? OptionalInt.empty() : OptionalInt.of(n);
  }

  /** The OVS interface bound to this OpenFlow port number of the host, if any. */
  public Optional<String> interfaceAt(String host, int ofPort) {
    Map<Integer, String> byNumber = interfaces.get(host);
    return byNumber == null ? Optional.empty() : Optional.ofNullable(byNumber.get(ofPort));
  }

  public boolean connected(String host) {
    return ofPorts.containsKey(host);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bindings b && ofPorts.equals(b.ofPorts);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ofPorts);
  }

  @Override
  public String toString() {
    return "Bindings[ofPorts=" + ofPorts + "]";
  }
}
