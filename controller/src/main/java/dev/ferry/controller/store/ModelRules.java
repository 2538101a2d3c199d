package dev.ferry.controller.store;

import dev.ferry.apps.model.AddressPair;
import dev.ferry.apps.model.FloatingIp;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.model.SecurityGroup;
import dev.ferry.apps.model.SecurityGroupRule;
import dev.ferry.apps.model.Tenant;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What the model accepts: each check takes the proposed record (and the current one on update),
 * reads the committed cache, and returns the record to store with defaults and allocations
 * filled in, or throws a {@link Rejection}. Runs under the store's single writer lock, which is
 * what makes allocation race-free.
 */
final class ModelRules {

  static final int MAX_VNI = 16_777_215;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final ModelCache cache;

  ModelRules(ModelCache cache) {
    this.cache = cache;
  }

  static String idOrNew(String id, String field) {
    if (id == null) {
      return UUID.randomUUID().toString();
    }
    checkName(id, field);
    return id;
  }

  static void checkName(String name, String field) {
    if (name == null) {
      throw Rejection.invalid(field, field + " is required");
    }
    if (!ID.matcher(name).matches()) {
      throw Rejection.invalid(field, "'" + name + "' must be 1-64 letters, digits, '.', '_' or '-'"
          + " starting with a letter or digit");
    }
  }

  private static String optionalLabel(String name, String field) {
    if (name != null && name.length() > 255) {
      throw Rejection.invalid(field, field + " is longer than 255 characters");
    }
    if (name != null) {
      checkPrintable(name, field);
    }
    return name;
  }

  /**
   * Labels end up in logs, terminals and other tenants' tooling: no control characters (NUL,
   * newlines, escapes), no bidirectional overrides that make text read other than it is, no
   * U+FFFD (what invalid UTF-8 in the request decoded to), no unpaired surrogates.
   */
  static void checkPrintable(String text, String field) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean bidi = (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
          || c == '\u200e' || c == '\u200f' || c == '\u061c';
      boolean surrogate = Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1)));
      if (Character.isISOControl(c) || bidi || c == '\ufffd' || surrogate) {
        throw Rejection.invalid(field, field + " contains a control, bidirectional-override or invalid character"
            + String.format(" (U+%04X at %d)", (int) c, i));
      }
      if (Character.isHighSurrogate(c) && !surrogate) {
        i++;
      }
    }
  }

  Tenant tenant(Tenant t, Tenant old) {
    String id = old != null ? old.id() : idOrNew(t.id(), "id");
    if (old == null && cache.tenants.containsKey(id)) {
      throw Rejection.conflict("id_taken", "id", "a tenant with id '" + id + "' exists");
    }
    if (t.name() == null || t.name().isBlank()) {
      throw Rejection.invalid("name", "name is required");
    }
    optionalLabel(t.name(), "name");
    for (Tenant other : cache.tenants.values()) {
      if (other.name().equals(t.name()) && !other.id().equals(id)) {
        throw Rejection.conflict("name_taken", "name", "tenant name '" + t.name() + "' is taken");
      }
    }
    return new Tenant(id, t.name(), old == null ? 1 : old.revision() + 1);
  }

  Network network(Network n, Network old) {
    String id = old != null ? old.id() : idOrNew(n.id(), "id");
    if (old == null && cache.networks.containsKey(id)) {
      throw Rejection.conflict("id_taken", "id", "a network with id '" + id + "' exists");
    }
    String tenantId = old != null ? old.tenantId() : n.tenantId();
    if (tenantId == null) {
      throw Rejection.invalid("tenant", "tenant is required");
    }
    if (!cache.tenants.containsKey(tenantId)) {
      throw Rejection.unknownReference("tenant", "tenant", tenantId);
    }
    if (old != null && n.tenantId() != null && !n.tenantId().equals(old.tenantId())) {
      throw Rejection.invalid("tenant", "a network cannot move to another tenant");
    }
    Cidr cidr = Cidr.parse(n.cidr(), "cidr");
    if (cidr.overlaps(NAT_RANGE)) {
      throw Rejection.invalid("cidr", cidr + " overlaps " + NAT_RANGE + ", Ferry's own NAT range");
    }
    if (cidr.prefix() > 30) {
      throw Rejection.invalid("cidr", "prefix /" + cidr.prefix() + " leaves no room for ports; use /30 or shorter");
    }
    if (old != null && !cidr.toString().equals(old.cidr())) {
      throw Rejection.invalid("cidr", "cidr cannot change; create a new network instead");
    }
    checkNoOverlap(id, tenantId, cidr);
    int vni = vni(n.vni(), old);
    String gateway = gateway(n.gatewayIp(), cidr, id, old);
    checkMtu(n.mtu());
    for (int i = 0; i < n.dnsServers().size(); i++) {
      Ipv4.parse(n.dnsServers().get(i), "dns_servers[" + i + "]");
    }
    if (n.gatewayHost() != null && !cache.hosts.containsKey(n.gatewayHost())) {
      throw Rejection.unknownReference("gateway_host", "host", n.gatewayHost());
    }
    return new Network(id, tenantId, optionalLabel(n.name(), "name"), vni, cidr.toString(), gateway,
        n.dhcp(), n.mtu(), n.dnsServers(), n.gatewayHost(), old == null ? 1 : old.revision() + 1);
  }

  private void checkNoOverlap(String id, String tenantId, Cidr cidr) {
    for (Network other : cache.networks.values()) {
      if (other.tenantId().equals(tenantId) && !other.id().equals(id)
          && Cidr.parse(other.cidr(), "cidr").overlaps(cidr)) {
        throw Rejection.conflict("cidr_overlap", "cidr", cidr + " overlaps network '" + other.id()
            + "' (" + other.cidr() + ") of the same tenant");
      }
    }
  }

  private int vni(int requested, Network old) {
    if (requested == 0) {
      return old != null ? old.vni() : allocateVni();
    }
    if (requested < 1 || requested > MAX_VNI) {
      throw Rejection.invalid("vni", "vni must be 1.." + MAX_VNI);
    }
    if (old != null && requested != old.vni()) {
      throw Rejection.invalid("vni", "vni cannot change; create a new network instead");
    }
    if (old == null && cache.vnis.contains(requested)) {
      throw Rejection.conflict("vni_taken", "vni", "vni " + requested + " is in use by another network");
    }
    return requested;
  }

  private int allocateVni() {
    if (cache.vnis.size() >= MAX_VNI) {
      throw Rejection.conflict("vni_exhausted", "vni", "every vni is in use");
    }
    int v = 1;
    while (cache.vnis.contains(v)) {
      v++;
    }
    return v;
  }

  private String gateway(String requested, Cidr cidr, String networkId, Network old) {
    if (requested == null) {
      // Cleared or left out on update: the gateway stays where it is (the first address may be a port's).
      return old != null ? old.gatewayIp() : Ipv4.format(cidr.base() + 1);
    }
    int gw = Ipv4.parse(requested, "gateway_ip");
    if (!cidr.isHostAddress(gw)) {
      throw Rejection.invalid("gateway_ip", requested + " is not a host address of " + cidr);
    }
    ModelCache.NetworkUse use = cache.useByNetwork.get(networkId);
    if (use != null && use.ips.contains(gw)) {
      throw Rejection.conflict("ip_taken", "gateway_ip", requested + " is held by a port of this network");
    }
    return Ipv4.format(gw);
  }

  private static void checkMtu(int mtu) {
    if (mtu < 576 || mtu > 9000) {
      throw Rejection.invalid("mtu", "mtu must be 576..9000");
    }
  }

  Port port(Port p, Port old) {
    String id = old != null ? old.id() : idOrNew(p.id(), "id");
    if (old == null && cache.ports.containsKey(id)) {
      throw Rejection.conflict("id_taken", "id", "a port with id '" + id + "' exists");
    }
    String networkId = old != null ? old.networkId() : p.networkId();
    if (networkId == null) {
      throw Rejection.invalid("network", "network is required");
    }
    Network net = cache.networks.get(networkId);
    if (net == null) {
      throw Rejection.unknownReference("network", "network", networkId);
    }
    if (old != null && p.networkId() != null && !p.networkId().equals(old.networkId())) {
      throw Rejection.invalid("network", "a port cannot move to another network");
    }
    ModelCache.NetworkUse use = cache.useByNetwork.get(networkId);
    String mac = mac(p.mac(), old, use);
    String ip = ip(p.ip(), old, net, use);
    checkPlacement(id, p.host(), p.interfaceName());
    java.util.List<String> groups = securityGroups(p.securityGroups(), old, net.tenantId());
    java.util.List<AddressPair> pairs = addressPairs(p.allowedAddressPairs(), id, old, mac, ip, net, use);
    return new Port(id, networkId, optionalLabel(p.name(), "name"), mac, ip, p.host(),
        p.interfaceName(), p.portSecurity(), groups, pairs, old == null ? 1 : old.revision() + 1);
  }

  static final int MAX_ADDRESS_PAIRS = 10;

  /**
   * Allowed address pairs: each address (or prefix) inside the port's network and made of host
   * addresses only, never the gateway; a MAC that is unicast, not Ferry's, and not another port's
   * MAC or pair MAC in the network (L2 forwards a MAC to one port). Addresses only of the port's
   * own network, so a tenant never names another tenant's. Stored normalized: a /32 as the bare
   * address, a MAC equal to the port's as none.
   */
  private java.util.List<AddressPair> addressPairs(java.util.List<AddressPair> requested, String portId,
      Port old, String mac, String ip, Network net, ModelCache.NetworkUse use) {
    if (requested.size() > MAX_ADDRESS_PAIRS) {
      throw Rejection.invalid("allowed_address_pairs", "at most " + MAX_ADDRESS_PAIRS + " allowed address pairs per port");
    }
    Cidr cidr = Cidr.parse(net.cidr(), "cidr");
    int gateway = Ipv4.parse(net.gatewayIp(), "gateway_ip");
    java.util.List<AddressPair> out = new java.util.ArrayList<>();
    for (int i = 0; i < requested.size(); i++) {
      String field = "allowed_address_pairs[" + i + "]";
      AddressPair pair = requested.get(i);
      if (pair == null) {
        throw Rejection.invalid(field, "an address pair {\"ip_address\": ..., \"mac_address\": ...} is required");
      }
      String ipField = field + ".ip_address";
      String text = pair.ipAddress();
      Cidr pairCidr = text != null && text.contains("/") ? Cidr.parse(text, ipField)
          : new Cidr(Ipv4.parse(text, ipField), 32);
      if (pairCidr.prefix() < cidr.prefix() || !cidr.contains(pairCidr.base())) {
        throw Rejection.invalid(ipField, text + " is not inside the port's network " + cidr);
      }
      if (!cidr.isHostAddress(pairCidr.base()) || !cidr.isHostAddress(pairCidr.broadcast())) {
        throw Rejection.invalid(ipField, text + (pairCidr.prefix() == 32 ? " is" : " includes")
            + " the network or broadcast address of " + cidr);
      }
      if (pairCidr.contains(gateway)) {
        throw Rejection.invalid(ipField, text + (pairCidr.prefix() == 32 ? " is" : " includes")
            + " the network's gateway address");
      }
      String pairMac = null;
      if (pair.macAddress() != null) {
        String macField = field + ".mac_address";
        pairMac = Macs.normalize(pair.macAddress(), macField);
        if (Macs.isFerrys(pairMac)) {
          throw Rejection.invalid(macField, pairMac + " is in Ferry's reserved 02:fe / 02:fd ranges (gateway and uplink MACs)");
        }
        if (pairMac.equals(mac)) {
          pairMac = null;
        } else {
          String holder = use.pairMacs.get(pairMac);
          if ((use.macs.contains(pairMac) && (old == null || !old.mac().equals(pairMac)))
              || (holder != null && !holder.equals(portId))) {
            throw Rejection.conflict("mac_taken", macField, "mac " + pairMac
                + " is another port's in this network (a pair MAC belongs to one port)");
          }
        }
      }
      String address = pairCidr.prefix() == 32 ? Ipv4.format(pairCidr.base()) : pairCidr.toString();
      if (address.equals(ip) && pairMac == null) {
        throw Rejection.invalid(ipField, address + " with the port's own MAC is the port's own address");
      }
      AddressPair normalized = new AddressPair(address, pairMac);
      if (out.contains(normalized)) {
        throw Rejection.invalid(field, "address pair " + address + " is listed twice");
      }
      out.add(normalized);
    }
    return java.util.List.copyOf(out);
  }

  /** Absent: kept on update, the tenant's default group on create. Each must be the tenant's. */
  private java.util.List<String> securityGroups(java.util.List<String> requested, Port old, String tenantId) {
    if (requested == null) {
      return old != null && old.securityGroups() != null ? old.securityGroups()
          : java.util.List.of(SecurityGroup.defaultId(tenantId));
    }
    for (int i = 0; i < requested.size(); i++) {
      String g = requested.get(i);
      String field = "security_groups[" + i + "]";
      if (g == null) {
        throw Rejection.invalid(field, "a security group id is required");
      }
      SecurityGroup sg = cache.securityGroups.get(g);
      if (sg == null || !sg.tenantId().equals(tenantId)) {
        throw absentGroup(field, g);
      }
      if (requested.indexOf(g) != i) {
        throw Rejection.invalid(field, "security group '" + g + "' is listed twice");
      }
    }
    return java.util.List.copyOf(requested);
  }

  /** Another tenant's group reads exactly like one that does not exist. */
  private static Rejection absentGroup(String field, String id) {
    return new Rejection(Rejection.Reason.NOT_FOUND, "not_found", field, "security group '" + id + "' not found");
  }

  SecurityGroup securityGroup(SecurityGroup g, SecurityGroup old) {
    String id = old != null ? old.id() : idOrNew(g.id(), "id");
    if (old == null && cache.securityGroups.containsKey(id)) {
      throw Rejection.conflict("id_taken", "id", "a security group with id '" + id + "' exists");
    }
    String tenantId = old != null ? old.tenantId() : g.tenantId();
    if (tenantId == null) {
      throw Rejection.invalid("tenant", "tenant is required");
    }
    if (!cache.tenants.containsKey(tenantId)) {
      throw Rejection.unknownReference("tenant", "tenant", tenantId);
    }
    if (old != null && g.tenantId() != null && !g.tenantId().equals(old.tenantId())) {
      throw Rejection.invalid("tenant", "a security group cannot move to another tenant");
    }
    if (g.name() == null || g.name().isBlank()) {
      throw Rejection.invalid("name", "name is required");
    }
    optionalLabel(g.name(), "name");
    boolean isDefault = old != null && old.id().equals(SecurityGroup.defaultId(tenantId));
    if (isDefault != SecurityGroup.DEFAULT.equals(g.name())) {
      throw Rejection.invalid("name", isDefault ? "the default group cannot be renamed"
          : "'default' is the name of the tenant's own default group");
    }
    for (SecurityGroup other : cache.securityGroups.values()) {
      if (other.tenantId().equals(tenantId) && other.name().equals(g.name()) && !other.id().equals(id)) {
        throw Rejection.conflict("name_taken", "name", "security group name '" + g.name() + "' is taken");
      }
    }
    return new SecurityGroup(id, tenantId, g.name(), optionalLabel(g.description(), "description"),
        old == null ? 1 : old.revision() + 1);
  }

  /** Rules are immutable: create only. The caller has checked the group is the caller's. */
  SecurityGroupRule securityGroupRule(SecurityGroupRule r) {
    String id = idOrNew(r.id(), "id");
    if (cache.securityGroupRules.containsKey(id)) {
      throw Rejection.conflict("id_taken", "id", "a security group rule with id '" + id + "' exists");
    }
    if (r.securityGroupId() == null) {
      throw Rejection.invalid("security_group", "security_group is required");
    }
    SecurityGroup group = cache.securityGroups.get(r.securityGroupId());
    if (group == null) {
      throw absentGroup("security_group", r.securityGroupId());
    }
    if (!SecurityGroupRule.INGRESS.equals(r.direction()) && !SecurityGroupRule.EGRESS.equals(r.direction())) {
      throw Rejection.invalid("direction", "direction must be 'ingress' or 'egress'");
    }
    Integer proto = r.protocol();
    if (proto != null && (proto < 0 || proto > 255)) {
      throw Rejection.invalid("protocol", "protocol must be tcp, udp, icmp, any or 0..255");
    }
    boolean ports = proto != null && (proto == SecurityGroupRule.TCP || proto == SecurityGroupRule.UDP);
    if ((r.portRangeMin() != null || r.portRangeMax() != null) && !ports) {
      throw Rejection.invalid(r.portRangeMin() != null ? "port_range_min" : "port_range_max",
          "port ranges need protocol tcp or udp");
    }
    Integer min = r.portRangeMin();
    Integer max = r.portRangeMax();
    if (min != null || max != null) {
      min = min == null ? max : min;
      max = max == null ? min : max;
      if (min < 1 || min > 65535) {
        throw Rejection.invalid("port_range_min", "port_range_min must be 1..65535");
      }
      if (max < 1 || max > 65535) {
        throw Rejection.invalid("port_range_max", "port_range_max must be 1..65535");
      }
      if (min > max) {
        throw Rejection.invalid("port_range_min", "port_range_min " + min + " is above port_range_max " + max);
      }
    }
    boolean icmp = proto != null && proto == SecurityGroupRule.ICMP;
    if ((r.icmpType() != null || r.icmpCode() != null) && !icmp) {
      throw Rejection.invalid(r.icmpType() != null ? "icmp_type" : "icmp_code", "icmp type and code need protocol icmp");
    }
    if (r.icmpType() != null && (r.icmpType() < 0 || r.icmpType() > 255)) {
      throw Rejection.invalid("icmp_type", "icmp_type must be 0..255");
    }
    if (r.icmpCode() != null && (r.icmpCode() < 0 || r.icmpCode() > 255)) {
      throw Rejection.invalid("icmp_code", "icmp_code must be 0..255");
    }
    if (r.icmpCode() != null && r.icmpType() == null) {
      throw Rejection.invalid("icmp_code", "icmp_code needs icmp_type");
    }
    String prefix = null;
    if (r.remoteIpPrefix() != null) {
      if (r.remoteGroupId() != null) {
        throw Rejection.invalid("remote_ip_prefix", "give remote_ip_prefix or remote_group_id, not both");
      }
      prefix = Cidr.parse(r.remoteIpPrefix(), "remote_ip_prefix").toString();
    }
    if (r.remoteGroupId() != null) {
      SecurityGroup remote = cache.securityGroups.get(r.remoteGroupId());
      if (remote == null || !remote.tenantId().equals(group.tenantId())) {
        throw absentGroup("remote_group_id", r.remoteGroupId());
      }
    }
    for (SecurityGroupRule other : cache.securityGroupRules.values()) {
      if (other.securityGroupId().equals(group.id()) && sameEffect(other, r.direction(), proto, min, max,
          r.icmpType(), r.icmpCode(), prefix, r.remoteGroupId())) {
        throw Rejection.conflict("duplicate", null, "security group rule '" + other.id() + "' already says this");
      }
    }
    return new SecurityGroupRule(id, group.id(), r.direction(), proto, min, max, r.icmpType(), r.icmpCode(),
        prefix, r.remoteGroupId(), 1);
  }

  private static boolean sameEffect(SecurityGroupRule o, String direction, Integer proto, Integer min, Integer max,
      Integer icmpType, Integer icmpCode, String prefix, String remoteGroup) {
    return o.direction().equals(direction) && Objects.equals(o.protocol(), proto)
        && Objects.equals(o.portRangeMin(), min) && Objects.equals(o.portRangeMax(), max)
        && Objects.equals(o.icmpType(), icmpType) && Objects.equals(o.icmpCode(), icmpCode)
        && Objects.equals(o.remoteIpPrefix(), prefix) && Objects.equals(o.remoteGroupId(), remoteGroup);
  }

  /** In use: a port lists it, or a rule of another group names it as remote group. */
  void checkDeleteSecurityGroup(SecurityGroup g) {
    if (g.id().equals(SecurityGroup.defaultId(g.tenantId())) && cache.tenants.containsKey(g.tenantId())) {
      throw Rejection.conflict("in_use", null, "the default group lives as long as its tenant");
    }
    for (Port p : cache.ports.values()) {
      String tenant = tenantOfPort(p);
      if (g.tenantId().equals(tenant) && p.groupsOr(tenant).contains(g.id())) {
        throw Rejection.conflict("in_use", null, "security group '" + g.id() + "' is used by port '" + p.id() + "'");
      }
    }
    for (SecurityGroupRule r : cache.securityGroupRules.values()) {
      if (g.id().equals(r.remoteGroupId()) && !g.id().equals(r.securityGroupId())) {
        throw Rejection.conflict("in_use", null, "security group '" + g.id() + "' is the remote group of rule '"
            + r.id() + "' of group '" + r.securityGroupId() + "'");
      }
    }
  }

  private String mac(String requested, Port old, ModelCache.NetworkUse use) {
    if (requested == null) {
      if (old != null) {
        return old.mac();
      }
      String mac;
      do {
        mac = Macs.random();
      } while (use.macs.contains(mac) || use.pairMacs.containsKey(mac));
      return mac;
    }
    String mac = Macs.normalize(requested, "mac");
    if (Macs.isFerrys(mac)) {
      throw Rejection.invalid("mac", mac + " is in Ferry's reserved 02:fe / 02:fd ranges (gateway and uplink MACs)");
    }
    if (use.macs.contains(mac) && (old == null || !old.mac().equals(mac))) {
      throw Rejection.conflict("mac_taken", "mac", "mac " + mac + " is taken in this network");
    }
    String pairHolder = use.pairMacs.get(mac);
    if (pairHolder != null && (old == null || !old.id().equals(pairHolder))) {
      throw Rejection.conflict("mac_taken", "mac", "mac " + mac + " is an allowed address pair's MAC in this network");
    }
    return mac;
  }

  private String ip(String requested, Port old, Network net, ModelCache.NetworkUse use) {
    Cidr cidr = Cidr.parse(net.cidr(), "cidr");
    int gateway = Ipv4.parse(net.gatewayIp(), "gateway_ip");
    if (requested == null) {
      return old != null ? old.ip() : Ipv4.format(allocateIp(cidr, gateway, use));
    }
    int ip = Ipv4.parse(requested, "ip");
    if (!cidr.isHostAddress(ip)) {
      throw Rejection.invalid("ip", requested + " is not a host address of " + cidr);
    }
    if (ip == gateway) {
      throw Rejection.invalid("ip", requested + " is the network's gateway address");
    }
    if (use.ips.contains(ip) && (old == null || !old.ip().equals(Ipv4.format(ip)))) {
      throw Rejection.conflict("ip_taken", "ip", "ip " + requested + " is taken in this network");
    }
    return Ipv4.format(ip);
  }

  private static int allocateIp(Cidr cidr, int gateway, ModelCache.NetworkUse use) {
    long size = 1L << (32 - cidr.prefix());
    int candidate = cidr.contains(use.nextIp) ? use.nextIp : cidr.base() + 1;
    for (long tried = 0; tried < size; tried++) {
      if (cidr.isHostAddress(candidate) && candidate != gateway && !use.ips.contains(candidate)
          && !use.pairIps.containsKey(candidate)) {
        use.nextIp = candidate + 1;
        return candidate;
      }
      candidate = cidr.contains(candidate + 1) ? candidate + 1 : cidr.base() + 1;
    }
    throw Rejection.conflict("network_full", "ip", "no free address left in " + cidr);
  }

  private void checkPlacement(String portId, String host, String interfaceName) {
    Host h = host == null ? null : cache.hosts.get(host);
    if (host != null && h == null) {
      throw Rejection.unknownReference("host", "host", host);
    }
    if (interfaceName == null) {
      return;
    }
    InterfaceNames.checkValid(interfaceName, "interface");
    if (InterfaceNames.isInfrastructure(interfaceName)
        || (h != null && h.uplink() != null && interfaceName.equals(h.uplink().interfaceName()))) {
      throw Rejection.invalid("interface", "'" + interfaceName + "' is the host's own (bridge, tunnel or"
          + " uplink) port; a tenant port needs an interface of its own");
    }
    if (host != null) {
      String holder = cache.portByInterface.get(ModelCache.interfaceKey(host, interfaceName));
      if (holder != null && !holder.equals(portId)) {
        throw Rejection.conflict("interface_taken", "interface", "interface '" + interfaceName
            + "' on host '" + host + "' belongs to another port");
      }
    }
  }

  Host host(Host h, Host old) {
    checkName(h.name(), "name");
    if (old == null && cache.hosts.containsKey(h.name())) {
      throw Rejection.conflict("name_taken", "name", "a host named '" + h.name() + "' exists");
    }
    int tunnel = Ipv4.parse(h.tunnelIp(), "tunnel_ip");
    if (!isUnicastUnderlay(tunnel)) {
      throw Rejection.invalid("tunnel_ip", h.tunnelIp() + " cannot be a VXLAN endpoint (unspecified, loopback,"
          + " broadcast or multicast)");
    }
    for (Host other : cache.hosts.values()) {
      if (other.name().equals(h.name())) {
        continue;
      }
      if (other.datapathId() == h.datapathId()) {
        throw Rejection.conflict("datapath_id_taken", "datapath_id", "datapath_id "
            + DatapathId.format(h.datapathId()) + " belongs to host '" + other.name() + "'");
      }
      if (other.tunnelIp().equals(h.tunnelIp())) {
        throw Rejection.conflict("tunnel_ip_taken", "tunnel_ip", "tunnel_ip " + h.tunnelIp()
            + " belongs to host '" + other.name() + "'");
      }
    }
    checkUplink(h.name(), h.uplink());
    // The reverse of the floating ip rule: infrastructure may not take a tenant's floating address.
    checkNotFloating(h.tunnelIp(), "tunnel_ip");
    if (h.uplink() != null) {
      checkNotFloating(Ipv4.format(Cidr.parseLoose(h.uplink().address(), "uplink.address").network()), "uplink.address");
      checkNotFloating(h.uplink().nextHop(), "uplink.next_hop");
    }
    return new Host(h.name(), h.datapathId(), h.tunnelIp(), h.uplink(),
        old == null ? 1 : old.revision() + 1);
  }

  private void checkNotFloating(String ip, String field) {
    String holder = cache.floatingIpByAddress.get(Ipv4.format(Ipv4.parse(ip, field)));
    if (holder != null) {
      throw Rejection.conflict("ip_taken", field, ip + " is floating ip '" + holder + "'; delete it first");
    }
  }

  private void checkUplink(String hostName, Host.Uplink u) {
    if (u == null) {
      return;
    }
    if (u.interfaceName() == null || u.interfaceName().isEmpty()) {
      throw Rejection.invalid("uplink.interface", "uplink.interface is required");
    }
    InterfaceNames.checkValid(u.interfaceName(), "uplink.interface");
    if (InterfaceNames.isInfrastructure(u.interfaceName())) {
      throw Rejection.invalid("uplink.interface", "'" + u.interfaceName() + "' is Ferry's bridge or tunnel port");
    }
    String holder = cache.portByInterface.get(ModelCache.interfaceKey(hostName, u.interfaceName()));
    if (holder != null) {
      throw Rejection.conflict("interface_taken", "uplink.interface", "interface '" + u.interfaceName()
          + "' is bound to port '" + holder + "'");
    }
    if (u.address() == null) {
      throw Rejection.invalid("uplink.address", "uplink.address is required (e.g. 203.0.113.2/24)");
    }
    Cidr address = Cidr.parseLoose(u.address(), "uplink.address");
    if (u.nextHop() == null) {
      throw Rejection.invalid("uplink.next_hop", "uplink.next_hop is required");
    }
    int hop = Ipv4.parse(u.nextHop(), "uplink.next_hop");
    if (!address.contains(hop)) {
      throw Rejection.invalid("uplink.next_hop", u.nextHop() + " is not inside " + u.address());
    }
    if (hop == address.network()) {
      throw Rejection.invalid("uplink.next_hop", u.nextHop() + " is the uplink's own address");
    }
    if (address.prefix() < 31 && (hop == address.base() || hop == address.broadcast())) {
      throw Rejection.invalid("uplink.next_hop", u.nextHop() + " is the network or broadcast address of " + u.address());
    }
    if (!isUnicastUnderlay(address.network()) || address.prefix() < 31
        && (address.network() == address.base() || address.network() == address.broadcast())) {
      throw Rejection.invalid("uplink.address", u.address() + " is not a usable host address");
    }
  }

  /**
   * @param pool the pool to allocate from (ip null) or that a requested ip must be in; null:
   *     any pool for a requested ip
   */
  FloatingIp floatingIp(FloatingIp f, String pool, FloatingIp old) {
    String id = old != null ? old.id() : idOrNew(f.id(), "id");
    if (old == null && cache.floatingIps.containsKey(id)) {
      throw Rejection.conflict("id_taken", "id", "a floating ip with id '" + id + "' exists");
    }
    ExternalPool named = null;
    if (pool != null) {
      named = cache.pools.get(pool);
      if (named == null) {
        throw Rejection.unknownReference("pool", "external pool", pool);
      }
    }
    String ip;
    if (old != null) {
      if (f.ip() != null && !old.ip().equals(Ipv4.format(Ipv4.parse(f.ip(), "ip")))) {
        throw Rejection.invalid("ip", "ip cannot change; create a new floating ip instead");
      }
      ip = old.ip();
      if (named != null && !named.holds(Ipv4.parse(ip, "ip"))) {
        throw Rejection.invalid("pool", "a floating ip cannot move to another pool");
      }
    } else if (f.ip() == null) {
      if (named == null) {
        throw Rejection.invalid("pool", "give a pool to allocate from, or an ip inside one");
      }
      ip = Ipv4.format(allocateFloating(named));
    } else {
      ip = Ipv4.format(checkFloatingAddress(Ipv4.parse(f.ip(), "ip"), f.ip(), named));
    }
    String tenantId = old != null ? old.tenantId() : f.tenantId();
    if (tenantId == null && f.portId() != null && cache.ports.containsKey(f.portId())) {
      tenantId = tenantOfPort(cache.ports.get(f.portId()));
    }
    if (tenantId == null) {
      throw Rejection.invalid("tenant", "tenant is required when no port is given");
    }
    if (!cache.tenants.containsKey(tenantId)) {
      throw Rejection.unknownReference("tenant", "tenant", tenantId);
    }
    checkFloatingPort(id, f.portId(), tenantId);
    return new FloatingIp(id, tenantId, ip, f.portId(), old == null ? 1 : old.revision() + 1);
  }

  /** A requested floating address: inside a pool (the named one, if any), not reserved, free. */
  private int checkFloatingAddress(int ip, String text, ExternalPool named) {
    ExternalPool in = cache.poolOf(ip);
    if (in == null || (named != null && in != named)) {
      throw Rejection.invalid("ip", text + " is not inside " + (named == null ? "any external pool"
          : "external pool '" + named.name() + "'") + "; floating ips come from the operator's pools");
    }
    if (reserved(ip, in)) {
      // Why it is reserved (whose uplink, which tenant) is none of the caller's business.
      throw Rejection.invalid("ip", text + " is reserved and cannot be a floating ip");
    }
    if (cache.floatingIpByAddress.containsKey(Ipv4.format(ip))) {
      throw Rejection.conflict("ip_taken", "ip", "floating ip " + text + " is in use");
    }
    return ip;
  }

  private int allocateFloating(ExternalPool pool) {
    for (ExternalPool.Range r : pool.ranges()) {
      long first = Integer.toUnsignedLong(Ipv4.parse(r.start(), "start"));
      long last = Integer.toUnsignedLong(Ipv4.parse(r.end(), "end"));
      for (long a = first; a <= last; a++) {
        int ip = (int) a;
        if (!reserved(ip, pool) && !cache.floatingIpByAddress.containsKey(Ipv4.format(ip))) {
          return ip;
        }
      }
    }
    throw Rejection.conflict("pool_exhausted", "pool", "external pool '" + pool.name() + "' has no free address");
  }

  /** Ferry's own NAT range for tenant-side translation; tenants' subnets must stay clear of it. */
  static final Cidr NAT_RANGE = new Cidr(Ipv4.parse("100.64.0.0", "cidr"), 10);

  /**
   * Addresses no floating ip may take even inside a pool: the unspecified and limited-broadcast
   * addresses, the pool subnet's network and broadcast, any host's uplink address, next hop,
   * uplink subnet network/broadcast and tunnel ip, Ferry's NAT range, and any tenant subnet.
   */
  private boolean reserved(int ip, ExternalPool pool) {
    if (ip == 0 || ip == -1 || NAT_RANGE.contains(ip)) {
      return true;
    }
    Cidr subnet = Cidr.parse(pool.cidr(), "cidr");
    if (ip == subnet.base() || ip == subnet.broadcast()) {
      return true;
    }
    for (Host h : cache.hosts.values()) {
      if (ip == Ipv4.parse(h.tunnelIp(), "tunnel_ip")) {
        return true;
      }
      Host.Uplink u = h.uplink();
      if (u != null) {
        Cidr up = Cidr.parseLoose(u.address(), "uplink.address");
        if (ip == up.network() || ip == Ipv4.parse(u.nextHop(), "uplink.next_hop")
            || (up.prefix() < 31 && (ip == up.base() || ip == up.broadcast()))) {
          return true;
        }
      }
    }
    for (Network n : cache.networks.values()) {
      if (Cidr.parse(n.cidr(), "cidr").contains(ip)) {
        return true;
      }
    }
    return false;
  }

  ExternalPool pool(ExternalPool p, ExternalPool old) {
    checkName(p.name(), "name");
    if (old == null && cache.pools.containsKey(p.name())) {
      throw Rejection.conflict("name_taken", "name", "an external pool named '" + p.name() + "' exists");
    }
    Cidr cidr = Cidr.parse(p.cidr(), "cidr");
    if (cidr.prefix() < 8 || cidr.prefix() > 30) {
      throw Rejection.invalid("cidr", "cidr must be a /8 to /30 uplink subnet");
    }
    if (p.ranges() == null || p.ranges().isEmpty()) {
      throw Rejection.invalid("ranges", "ranges is required: at least one {\"start\": ..., \"end\": ...}");
    }
    for (int i = 0; i < p.ranges().size(); i++) {
      ExternalPool.Range r = p.ranges().get(i);
      String field = "ranges[" + i + "]";
      if (r == null) {
        throw Rejection.invalid(field, field + " must be an object {\"start\": ..., \"end\": ...}");
      }
      int start = Ipv4.parse(r.start(), field + ".start");
      int end = Ipv4.parse(r.end(), field + ".end");
      if (!cidr.isHostAddress(start)) {
        throw Rejection.invalid(field + ".start", r.start() + " is not a host address of " + cidr);
      }
      if (!cidr.isHostAddress(end)) {
        throw Rejection.invalid(field + ".end", r.end() + " is not a host address of " + cidr);
      }
      if (Integer.compareUnsigned(start, end) > 0) {
        throw Rejection.invalid(field + ".end", r.end() + " is before " + r.start());
      }
      for (int j = 0; j < i; j++) {
        if (overlaps(r, p.ranges().get(j))) {
          throw Rejection.invalid(field, field + " overlaps ranges[" + j + "]");
        }
      }
      for (ExternalPool other : cache.pools.values()) {
        if (!other.name().equals(p.name()) && other.ranges().stream().anyMatch(o -> overlaps(r, o))) {
          throw Rejection.conflict("range_overlap", field, field + " overlaps external pool '" + other.name() + "'");
        }
      }
    }
    ExternalPool result = new ExternalPool(p.name(), cidr.toString(), p.ranges(),
        old == null ? 1 : old.revision() + 1);
    if (old != null) {
      for (FloatingIp f : cache.floatingIps.values()) {
        int ip = Ipv4.parse(f.ip(), "ip");
        if (old.holds(ip) && !result.holds(ip)) {
          throw Rejection.conflict("in_use", "ranges", "floating ip " + f.ip() + " would fall outside the pool;"
              + " delete it first");
        }
      }
    }
    return result;
  }

  private static boolean overlaps(ExternalPool.Range a, ExternalPool.Range b) {
    return Integer.compareUnsigned(Ipv4.parse(a.start(), "start"), Ipv4.parse(b.end(), "end")) <= 0
        && Integer.compareUnsigned(Ipv4.parse(b.start(), "start"), Ipv4.parse(a.end(), "end")) <= 0;
  }

  void checkDeletePool(ExternalPool p) {
    for (FloatingIp f : cache.floatingIps.values()) {
      if (p.holds(Ipv4.parse(f.ip(), "ip"))) {
        throw Rejection.conflict("in_use", null, "external pool '" + p.name() + "' still has floating ip '"
            + f.id() + "'; delete it first");
      }
    }
  }

  private void checkFloatingPort(String id, String portId, String tenantId) {
    if (portId == null) {
      return;
    }
    Port port = cache.ports.get(portId);
    if (port == null || !tenantId.equals(tenantOfPort(port))) {
      throw Rejection.unknownReference("port", "port", portId);
    }
    String holder = cache.floatingIpByPort.get(portId);
    if (holder != null && !holder.equals(id)) {
      throw Rejection.conflict("port_taken", "port", "port '" + portId + "' already has floating ip '"
          + holder + "'");
    }
  }

  String tenantOfPort(Port p) {
    Network n = cache.networks.get(p.networkId());
    return n == null ? null : n.tenantId();
  }

  void checkDeleteTenant(Tenant t) {
    for (SecurityGroup g : cache.securityGroups.values()) {
      if (g.tenantId().equals(t.id()) && !g.id().equals(SecurityGroup.defaultId(t.id()))) {
        throw Rejection.conflict("in_use", null, "tenant '" + t.id() + "' still has security group '" + g.id()
            + "'; delete it first");
      }
    }
    for (Network n : cache.networks.values()) {
      if (n.tenantId().equals(t.id())) {
        throw Rejection.conflict("in_use", null, "tenant '" + t.id() + "' still has network '" + n.id()
            + "'; delete its networks first");
      }
    }
    for (FloatingIp f : cache.floatingIps.values()) {
      if (f.tenantId().equals(t.id())) {
        throw Rejection.conflict("in_use", null, "tenant '" + t.id() + "' still has floating ip '"
            + f.id() + "'; delete it first");
      }
    }
  }

  void checkDeleteNetwork(Network n) {
    int ports = cache.useByNetwork.get(n.id()).ports;
    if (ports > 0) {
      throw Rejection.conflict("in_use", null, "network '" + n.id() + "' still has " + ports
          + " port(s); delete them first");
    }
  }

  void checkDeletePort(Port p) {
    String fip = cache.floatingIpByPort.get(p.id());
    if (fip != null) {
      throw Rejection.conflict("in_use", null, "port '" + p.id() + "' still has floating ip '" + fip
          + "'; unassign or delete it first");
    }
  }

  void checkDeleteHost(Host h) {
    for (Network n : cache.networks.values()) {
      if (h.name().equals(n.gatewayHost())) {
        throw Rejection.conflict("in_use", null, "host '" + h.name() + "' is gateway_host of network '"
            + n.id() + "'");
      }
    }
    for (Port p : cache.ports.values()) {
      if (h.name().equals(p.host())) {
        throw Rejection.conflict("in_use", null, "host '" + h.name() + "' still has port '" + p.id()
            + "'; move or delete its ports first");
      }
    }
  }

  /** Not 0.0.0.0/8, 127/8, 224/4 (multicast), 240/4 (reserved) or 255.255.255.255. */
  private static boolean isUnicastUnderlay(int ip) {
    int first = ip >>> 24;
    return first != 0 && first != 127 && first < 224;
  }

  static void checkRevision(long current, Long ifMatch) {
    if (ifMatch != null && !Objects.equals(ifMatch, current)) {
      throw Rejection.stale(ifMatch, current);
    }
  }
}
