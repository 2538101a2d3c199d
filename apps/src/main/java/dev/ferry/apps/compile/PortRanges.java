package dev.ferry.apps.compile;

import java.util.ArrayList;
import java.util.List;

/**
 * A port range as the fewest (value, mask) pairs that cover exactly it (as OVN and Neutron's
 * OVS firewall do): 1000-1999 is 8 pieces, 80-80 one, 1-65535 sixteen.
 */
final class PortRanges {
  private PortRanges() {}

  /** Pairs {value, mask} over 16-bit ports, in ascending order. */
  static List<int[]> masked(int min, int max) {
    List<int[]> out = new ArrayList<>();
    int start = min;
    while (start <= max) {
      int size = start == 0 ? 1 << 16 : Integer.lowestOneBit(start);
      while (start + size - 1 > max) {
        size >>= 1;
      }
      out.add(new int[] {start, 0xffff & ~(size - 1)});
      start += size;
    }
    return out;
  }
}
