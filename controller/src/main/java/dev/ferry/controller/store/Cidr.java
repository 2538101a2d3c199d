package dev.ferry.controller.store;

/** An IPv4 prefix: network address and length. */
public record Cidr(int network, int prefix) {

  /** Parses "a.b.c.d/n" with no host bits set, rejecting it as the value of {@code field}. */
  public static Cidr parse(String text, String field) {
    Cidr c = parseLoose(text, field);
    if (c.network != (c.network & mask(c.prefix))) {
      throw Rejection.invalid(field, "'" + text + "' has host bits set; did you mean "
          + Ipv4.format(c.network & mask(c.prefix)) + "/" + c.prefix + "?");
    }
    return c;
  }

  /** Parses "a.b.c.d/n" keeping the address as given (an interface address with its prefix). */
  public static Cidr parseLoose(String text, String field) {
    if (text == null) {
      throw Rejection.invalid(field, field + " is required");
    }
    String[] parts = text == null ? new String[0] : text.split("/", -1);
    if (parts.length != 2 || !parts[1].matches("\\d{1,2}") || Integer.parseInt(parts[1]) > 32) {
      throw Rejection.invalid(field, "'" + text + "' is not an IPv4 prefix (want e.g. 10.0.0.0/24)");
    }
    return new Cidr(Ipv4.parse(parts[0], field), Integer.parseInt(parts[1]));
  }

  static int mask(int prefix) {
    return prefix == 0 ? 0 : -1 << (32 - prefix);
  }

  public int mask() {
    return mask(prefix);
  }

  public int broadcast() {
    return (network & mask()) | ~mask();
  }

  public int base() {
    return network & mask();
  }

  public boolean contains(int ip) {
    return (ip & mask()) == base();
  }

  public boolean overlaps(Cidr other) {
    int m = mask(Math.min(prefix, other.prefix));
    return (base() & m) == (other.base() & m);
  }

  /** Addresses a port may hold: not the network or broadcast address. */
  public boolean isHostAddress(int ip) {
    return contains(ip) && ip != base() && ip != broadcast();
  }

  @Override
  public String toString() {
    return Ipv4.format(base()) + "/" + prefix;
  }
}
