package dev.ferry.apps.nat;

import java.util.Map;
import java.util.Optional;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * Runtime view of resolved uplink next hops: host name -> the MAC its next hop answered ARP
 * with. Like the bindings, not stored; learned from the uplink and lost on restart.
 */
public record NextHops(Map<String, MacAddress> macs) {
  public static final NextHops NONE = new NextHops(Map.of());

  public NextHops {
    macs = Map.copyOf(macs);
  }

  public Optional<MacAddress> of(String host) {
    return Optional.ofNullable(macs.get(host));
  }
}
