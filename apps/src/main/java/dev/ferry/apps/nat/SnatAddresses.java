package dev.ferry.apps.nat;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.projectfloodlight.openflow.types.IPv4Address;

/**
 * SNAT's first, stateless stage (the seed's "double NAT"): each local port gets a NAT address
 * of its own in 100.64.0.0/10 (RFC 6598 shared space, never a tenant's), so that the host's one
 * conntrack zone sees distinct original tuples even when two tenants use the same private
 * addresses, and a reply un-NATed by conntrack names exactly one port. The address is a hash
 * of the port id (stable across recompiles and restarts); collisions on one host are probed
 * in port-id order.
 */
public final class SnatAddresses {
  static final int BASE = IPv4Address.of("100.64.0.0").getInt();
  static final int SIZE = 1 << 22;

  private SnatAddresses() {}

  /** Port id -> its NAT address, for the given ports of one host. */
  public static Map<String, IPv4Address> of(List<String> portIds) {
    Map<String, IPv4Address> out = new LinkedHashMap<>();
    Set<Integer> used = new HashSet<>();
    portIds.stream().sorted(Comparator.naturalOrder()).forEach(id -> {
      int slot = Math.floorMod(Hashing.murmur3_32_fixed().hashString(id, StandardCharsets.UTF_8).asInt(), SIZE);
      while (slot == 0 || slot == SIZE - 1 || !used.add(slot)) {
        slot = (slot + 1) % SIZE;
      }
      out.put(id, IPv4Address.of(BASE + slot));
    });
    return out;
  }
}
