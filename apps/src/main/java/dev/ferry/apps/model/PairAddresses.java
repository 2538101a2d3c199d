package dev.ferry.apps.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;

/**
 * The allowed address pairs of one network's ports, by address. An address that is a pair may
 * be held by any of its ports at any moment (keepalived moves it by gratuitous ARP), so Ferry
 * never answers ARP for it from the model: the holder does. Only an address that exactly one
 * port lists (a single address, nobody's own IP) has a fixed place the router can send to.
 */
public final class PairAddresses {
  private final Map<IPv4AddressWithMask, List<Port>> holders;

  private PairAddresses(Map<IPv4AddressWithMask, List<Port>> holders) {
    this.holders = holders;
  }

  /** The pairs of these ports (one network's). */
  public static PairAddresses of(List<Port> ports) {
    Map<IPv4AddressWithMask, List<Port>> holders = new TreeMap<>(ORDER);
    for (Port p : ports.stream().sorted(Comparator.comparing(Port::id)).toList()) {
      for (AddressPair pair : p.allowedAddressPairs()) {
        List<Port> list = holders.computeIfAbsent(prefix(pair.ipAddress()), k -> new ArrayList<>());
        if (!list.contains(p)) {
          list.add(p);
        }
      }
    }
    return new PairAddresses(holders);
  }

  /** A port's address or pair address as a prefix ("a.b.c.d" is /32). */
  public static IPv4AddressWithMask prefix(String address) {
    return address.contains("/") ? IPv4AddressWithMask.of(address) : IPv4Address.of(address).withMaskOfLength(32);
  }

  /** Sorted by address, then longer prefix first. */
  public static final Comparator<IPv4AddressWithMask> ORDER = Comparator
      .comparing((IPv4AddressWithMask a) -> a.getValue().getInt(), Integer::compareUnsigned)
      .thenComparing(a -> -a.getMask().asCidrMaskLength());

  /** Every pair address or prefix of the network, sorted. */
  public List<IPv4AddressWithMask> prefixes() {
    return List.copyOf(holders.keySet());
  }

  /** True when the address lies in one of the network's pair addresses or prefixes. */
  public boolean covers(IPv4Address ip) {
    return holders.keySet().stream().anyMatch(p -> p.matches(ip));
  }

  /**
   * Single pair addresses held by exactly one port, which is the only place they can be, mapped
   * to that port's pair MAC; shared addresses and prefixes are not here.
   */
  public Map<IPv4Address, String> fixedPlaces(List<Port> ports) {
    Map<IPv4Address, String> out = new LinkedHashMap<>();
    holders.forEach((prefix, list) -> {
      if (prefix.getMask().asCidrMaskLength() == 32 && list.size() == 1
          && ports.stream().noneMatch(p -> prefix.getValue().toString().equals(p.ip()))) {
        Port p = list.get(0);
        p.allowedAddressPairs().stream().filter(a -> prefix(a.ipAddress()).equals(prefix)).findFirst()
            .ifPresent(a -> out.put(prefix.getValue(), a.macOr(p.mac())));
      }
    });
    return out;
  }

  /** The pairs of a network in a model, computed once per snapshot. */
  public static PairAddresses ofNetwork(Model model, String networkId) {
    return model.derived("pair-addresses/" + networkId, m -> of(m.portsOf(networkId)));
  }

}
