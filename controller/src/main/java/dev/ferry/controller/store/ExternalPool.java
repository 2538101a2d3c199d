package dev.ferry.controller.store;

import java.util.List;

/**
 * An operator-defined pool of external addresses that floating IPs come from: one uplink
 * subnet and the ranges of it that tenants may be given. Addresses outside every pool's ranges
 * can never be a floating IP.
 *
 * @param cidr the uplink subnet the addresses live on, e.g. 203.0.113.0/24
 * @param ranges inclusive address ranges inside {@code cidr}, disjoint from every other pool's
 */
public record ExternalPool(String name, String cidr, List<Range> ranges, long revision) {

  public ExternalPool {
    ranges = ranges == null ? null : List.copyOf(ranges);
  }

  /** First and last address, inclusive. */
  public record Range(String start, String end) {

    boolean contains(int ip) {
      return Integer.compareUnsigned(ip, Ipv4.parse(start, "start")) >= 0
          && Integer.compareUnsigned(ip, Ipv4.parse(end, "end")) <= 0;
    }
  }

  /** Whether one of the ranges holds the address. */
  public boolean holds(int ip) {
    return ranges.stream().anyMatch(r -> r.contains(ip));
  }
}
