package dev.ferry.apps.dhcp;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * A BOOTP/DHCP message (RFC 2131, options RFC 2132) with the fields a server needs. Options
 * keep their order; pad (0) is skipped and end (255) is written on encode. Parsing is total.
 */
public record DhcpMessage(int op, int xid, int flags, IPv4Address ciaddr, IPv4Address yiaddr,
    IPv4Address siaddr, IPv4Address giaddr, MacAddress chaddr, Map<Integer, byte[]> options) {

  public static final int BOOTREQUEST = 1;
  public static final int BOOTREPLY = 2;
  public static final int BROADCAST_FLAG = 0x8000;
  public static final int OPT_SUBNET_MASK = 1;
  public static final int OPT_ROUTER = 3;
  public static final int OPT_DNS = 6;
  public static final int OPT_HOSTNAME = 12;
  public static final int OPT_MTU = 26;
  public static final int OPT_REQUESTED_IP = 50;
  public static final int OPT_LEASE_TIME = 51;
  public static final int OPT_MESSAGE_TYPE = 53;
  public static final int OPT_SERVER_ID = 54;
  private static final int MAGIC = 0x63825363;
  private static final int FIXED = 236;

  public static Optional<DhcpMessage> parse(byte[] data) {
    if (data == null || data.length < FIXED + 4 || ByteBuffer.wrap(data).getInt(FIXED) != MAGIC
        || data[1] != 1 || data[2] != 6) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(data);
    byte[] mac = new byte[6];
    b.get(28, mac);
    return options(data).map(opts -> new DhcpMessage(data[0] & 0xff, b.getInt(4),
        b.getShort(10) & 0xffff, ip(b, 12), ip(b, 16), ip(b, 20), ip(b, 24),
        MacAddress.of(mac), opts));
  }

  private static Optional<Map<Integer, byte[]>> options(byte[] data) {
    Map<Integer, byte[]> opts = new LinkedHashMap<>();
    int i = FIXED + 4;
    while (i < data.length && (data[i] & 0xff) != 255) {
      int code = data[i] & 0xff;
      if (code == 0) {
        i++;
        continue;
      }
      if (i + 1 >= data.length || i + 2 + (data[i + 1] & 0xff) > data.length) {
        return Optional.empty();
      }
      int len = data[i + 1] & 0xff;
      opts.put(code, java.util.Arrays.copyOfRange(data, i + 2, i + 2 + len));
      i += 2 + len;
    }
    return Optional.of(opts);
  }

  public Optional<Integer> messageType() {
    byte[] t = options.get(OPT_MESSAGE_TYPE);
    return t == null || t.length != 1 ? Optional.empty() : Optional.of(t[0] & 0xff);
  }

  public Optional<IPv4Address> ipOption(int code) {
    byte[] v = options.get(code);
    return v == null || v.length != 4 ? Optional.empty() : Optional.of(IPv4Address.of(v));
  }

  public byte[] encode() {
    ByteBuffer fixed = ByteBuffer.allocate(FIXED + 4);
    fixed.put((byte) op).put((byte) 1).put((byte) 6).put((byte) 0).putInt(xid)
        .putShort((short) 0).putShort((short) flags)
        .put(ciaddr.getBytes()).put(yiaddr.getBytes()).put(siaddr.getBytes())
        .put(giaddr.getBytes()).put(chaddr.getBytes());
    fixed.position(FIXED);
    fixed.putInt(MAGIC);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(fixed.array());
    options.forEach((code, value) -> {
      out.write(code);
      out.write(value.length);
      out.writeBytes(value);
    });
    out.write(255);
    while (out.size() < 300) {
      out.write(0); // BOOTP minimum; some clients drop shorter replies
    }
    return out.toByteArray();
  }

  private static IPv4Address ip(ByteBuffer b, int at) {
    return IPv4Address.of(b.getInt(at));
  }
}
