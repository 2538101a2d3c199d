package dev.ferry.controller.engine;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Packet-ins by kind (arp, dhcp, other) and by tenant ("none" when no network could be found),
 * counted where packet-ins are dispatched; read by metrics.
 */
public final class PacketInCounters {
  public static final String NO_TENANT = "none";

  private final Map<String, LongAdder> byKind = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> byTenant = new ConcurrentHashMap<>();

  void packetIn(String kind, String tenant) {
    byKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
    byTenant.computeIfAbsent(tenant == null ? NO_TENANT : tenant, k -> new LongAdder()).increment();
  }

  public Map<String, Long> byKind() {
    return snapshot(byKind);
  }

  public Map<String, Long> byTenant() {
    return snapshot(byTenant);
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
    Map<String, Long> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** "arp", "dhcp" (UDP to or from port 67/68 over IPv4) or "other", from the Ethernet frame. */
  public static String kind(byte[] frame) {
    if (frame == null || frame.length < 14) {
      return "other";
    }
    int offset = 12;
    int etherType = u16(frame, offset);
    if (etherType == 0x8100 && frame.length >= 18) { // one VLAN tag
      offset += 4;
      etherType = u16(frame, offset);
    }
    int ip = offset + 2;
    if (etherType == 0x0806) {
      return "arp";
    }
    if (etherType != 0x0800 || frame.length < ip + 20 || (frame[ip + 9] & 0xff) != 17) {
      return "other";
    }
    int udp = ip + (frame[ip] & 0x0f) * 4;
    if (frame.length < udp + 4) {
      return "other";
    }
    int src = u16(frame, udp);
    int dst = u16(frame, udp + 2);
    return isDhcp(src) && isDhcp(dst) ? "dhcp" : "other";
  }

  private static boolean isDhcp(int port) {
    return port == 67 || port == 68;
  }

  private static int u16(byte[] b, int i) {
    return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
  }
}
