package dev.ferry.apps.model;

/**
 * An allowed address pair (Neutron's shape): an extra address a port may send from and receive
 * on, e.g. a VIP that keepalived moves between ports by gratuitous ARP.
 *
 * @param ipAddress a dotted quad, or a prefix "a.b.c.d/n" (the store normalizes /32 to the bare address)
 * @param macAddress lower case; null means the port's own MAC
 */
public record AddressPair(String ipAddress, String macAddress) {

  /** The MAC this pair sends from: its own, or the port's. */
  public String macOr(String portMac) {
    return macAddress != null ? macAddress : portMac;
  }

  /** True when the pair names one address, not a prefix. */
  public boolean oneAddress() {
    return !ipAddress.contains("/") || ipAddress.endsWith("/32");
  }
}
