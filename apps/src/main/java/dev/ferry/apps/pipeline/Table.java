package dev.ferry.apps.pipeline;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.match.MatchField;

/**
 * The br-int pipeline, declared once. Each table has a name, an OpenFlow table id, the match
 * fields every flow in it must carry and the tables it may go to. {@link FlowBuilder} refuses
 * flows that break this; docs/pipeline.md is generated from it ({@link PipelineDoc}).
 *
 * <p>Every table after {@link #CLASSIFY} requires METADATA: the network (see
 * {@link NetworkMetadata}), so no entry past classification can match two tenants' packets.
 */
public enum Table {
  CLASSIFY(0, "classify",
      "Tells which network a packet belongs to: a bound container port, or the VXLAN port with "
          + "a known VNI, writes the network into metadata. On a host's uplink: ARP requests for "
          + "the uplink's address or a floating IP are answered by the switch (as in services), "
          + "other ARP (the next hop's answers) goes to the controller (metered); a floating IP is translated 1:1 to its port (destination, MACs, "
          + "network) and goes to l2_forward; replies to the uplink address go through conntrack "
          + "(ct zone 1, un-NAT) and come back here, where the port's NAT address names the port. "
          + "On a network's central gateway host, tunnelled packets to the gateway MAC go to "
          + "routing. "
          + "Anything else is dropped.",
      List.of(MatchField.IN_PORT)),
  PORT_SECURITY(10, "port_security",
      "Anti-spoofing: a container may send only from its own MAC and IPv4 address, or from "
          + "one of its allowed address pairs' (address or prefix, with the pair's MAC) (ARP "
          + "likewise); DHCP discovery from 0.0.0.0 is allowed. Ports without port security pass "
          + "(and skip the security groups). A secured port's IPv4 goes to egress_ct, the rest "
          + "to services.",
      List.of(MatchField.METADATA)),
  EGRESS_CT(12, "egress_ct",
      "Security groups, egress: IPv4 of a secured port goes through conntrack in the port's own "
          + "zone (0x8000 | OpenFlow port; NAT's zone is 1) and is resubmitted to egress_acl.",
      List.of(MatchField.METADATA)),
  EGRESS_ACL(13, "egress_acl",
      "Security groups, egress, after conntrack: ct_state=+inv is dropped; an established or "
          + "related connection passes while the rule that allowed it exists (its ct_mark "
          + "names the rule: one flow per rule and network); DHCP to servers passes. A new "
          + "connection passes when one rule of the port's groups allows it: conjunctive matches "
          + "(conjunction(rule, k/n): the port, the remote addresses or group members, the "
          + "protocol and masked port ranges are separate clauses, so flows grow with ports + "
          + "members + rules, not their product); the conj_id flow writes the rule's mark and "
          + "the commit bit into metadata and goes to egress_commit. Anything else is dropped.",
      List.of(MatchField.METADATA)),
  EGRESS_COMMIT(14, "egress_commit",
      "Commits a new connection allowed by a rule in the port's zone, copying the rule's mark "
          + "from metadata into ct_mark (ct(commit,exec(move))); one flow per port. Clears the "
          + "bits and goes to services.",
      List.of(MatchField.METADATA)),
  SERVICES(20, "services",
      "Packets Ferry answers itself. In the datapath, so they work while the controller is "
          + "away (as OVN's responders): an ARP request for an address Ferry knows in the "
          + "network (the gateway, every port with an IP and MAC) becomes its reply (move "
          + "eth_src->eth_dst, arp_sha->arp_tha, arp_spa->arp_tpa, set eth_src, arp_sha, "
          + "arp_spa, arp_op=2) and goes back out of IN_PORT; a ping to a gateway address "
          + "becomes the echo reply (addresses swapped, icmp_type=0; OVS fixes the checksums). "
          + "An ARP request for an allowed address pair's address is not answered but goes on "
          + "to L2 forwarding (flooded in the network), so whichever port holds the address now "
          + "answers. Other ARP requests (unknown addresses, other networks' or tenants', a port "
          + "asking for its own address) are dropped, never flooded. DHCP from clients goes to the "
          + "controller through the per-host packet-in meter; other packets to the gateway's "
          + "virtual MAC go to routing; the rest goes on to L2 forwarding.",
      List.of(MatchField.METADATA)),
  ROUTING(30, "routing",
      "The tenant's distributed router: for each of the tenant's other routable networks "
          + "(CIDRs that overlap none of the tenant's others), ip_dst in its CIDR -> dec_ttl, "
          + "source MAC = that network's gateway MAC, metadata = that network, then the "
          + "neighbor table (one flow per pair of networks, not per port). Packets whose TTL "
          + "runs out in dec_ttl go to the controller (reason invalid_ttl), which answers ICMP "
          + "time exceeded. On a host with an uplink, packets of local ports for any address "
          + "outside the tenant's networks go to nat (or, for a network with a central gateway "
          + "host, over the tunnel to that host); other unknown destinations are dropped.",
      List.of(MatchField.METADATA)),
  NEIGHBOR(35, "neighbor",
      "The router's neighbor table, filled from the model instead of by ARP: (network, "
          + "ip_dst = a port's IP, or an allowed address pair's address that exactly one port "
          + "lists) -> destination MAC = that port (or the pair's MAC). An address with no port, "
          + "or a pair address shared by several ports, is dropped, never flooded.",
      List.of(MatchField.METADATA)),
  NAT(40, "nat",
      "North-south out of the host's uplink: a port with a floating IP leaves as it (stateless "
          + "1:1); other ports get their own NAT address (100.64/10, stateless) and then conntrack "
          + "SNAT to the uplink address (ct commit, zone 1). Source MAC = the uplink's virtual MAC, "
          + "destination = the next hop's MAC Ferry resolved by ARP; without it, dropped.",
      List.of(MatchField.METADATA)),
  L2_FORWARD(50, "l2_forward",
      "(network, destination MAC: a port's own or one of its address pairs') -> local port "
          + "(a secured one with an address through ingress_ct), or tun_id + tun_dst + VXLAN port for a port "
          + "on another host; broadcast/multicast -> the network's flood group (local ports "
          + "only when the packet came from the tunnel: split horizon); unknown -> drop.",
      List.of(MatchField.METADATA)),
  INGRESS_CT(60, "ingress_ct",
      "Security groups, ingress: IPv4 for a secured local port goes through conntrack in that "
          + "port's zone and is resubmitted to ingress_acl; other packets (ARP) are output.",
      List.of(MatchField.METADATA)),
  INGRESS_ACL(61, "ingress_acl",
      "As egress_acl for packets towards a port: invalid dropped, established/related by the "
          + "ct_mark of a rule that still exists, new connections by conjunctive match of the "
          + "port's ingress rules (remote = source address); goes to ingress_out. Anything else "
          + "is dropped.",
      List.of(MatchField.METADATA)),
  INGRESS_OUT(62, "ingress_out",
      "Outputs to the port; with the commit bit set, first commits the connection in the "
          + "port's zone with the rule's mark.",
      List.of(MatchField.METADATA));

  static {
    CLASSIFY.next = EnumSet.of(PORT_SECURITY, ROUTING, NAT, L2_FORWARD);
    PORT_SECURITY.next = EnumSet.of(EGRESS_CT, SERVICES);
    EGRESS_CT.next = EnumSet.noneOf(Table.class);
    EGRESS_ACL.next = EnumSet.of(EGRESS_COMMIT, SERVICES);
    EGRESS_COMMIT.next = EnumSet.of(SERVICES);
    INGRESS_CT.next = EnumSet.noneOf(Table.class);
    INGRESS_ACL.next = EnumSet.of(INGRESS_OUT);
    INGRESS_OUT.next = EnumSet.noneOf(Table.class);
    SERVICES.next = EnumSet.of(ROUTING, L2_FORWARD);
    ROUTING.next = EnumSet.of(NEIGHBOR, NAT, L2_FORWARD);
    NEIGHBOR.next = EnumSet.of(L2_FORWARD);
    NAT.next = EnumSet.of(L2_FORWARD);
    L2_FORWARD.next = EnumSet.of(INGRESS_CT);
  }

  private final int id;
  private final String tableName;
  private final String job;
  private final List<MatchField<?>> requiredMatches;
  private Set<Table> next;

  Table(int id, String tableName, String job, List<MatchField<?>> requiredMatches) {
    this.id = id;
    this.tableName = tableName;
    this.job = job;
    this.requiredMatches = requiredMatches;
  }

  public int id() {
    return id;
  }

  public String tableName() {
    return tableName;
  }

  public String job() {
    return job;
  }

  public List<MatchField<?>> requiredMatches() {
    return requiredMatches;
  }

  public Set<Table> next() {
    return java.util.Collections.unmodifiableSet(next);
  }

  public boolean mayGoTo(Table target) {
    return next.contains(target);
  }

  /** True for the ids of Ferry's own tables (a foreign flow may sit anywhere). */
  public static boolean isDeclared(int id) {
    for (Table t : values()) {
      if (t.id == id) {
        return true;
      }
    }
    return false;
  }

  public static Table byId(int id) {
    for (Table t : values()) {
      if (t.id == id) {
        return t;
      }
    }
    throw new IllegalArgumentException("no table with id " + id);
  }
}
