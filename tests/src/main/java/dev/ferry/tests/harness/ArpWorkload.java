package dev.ferry.tests.harness;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Ferry's own workload: a provisioned port on this switch asks (ARP) for another port of its
 * network; a share of the requests asks for an address nobody holds, which an ARP responder
 * must leave unanswered. Unbuffered, so the controller sees (and answers with) the frame.
 */
public final class ArpWorkload implements Workload {
  /** Unknown targets come from 198.18.0.0/15 (RFC 2544 benchmarking), skipping provisioned ones. */
  private static final int UNKNOWN_BASE = (198 << 24) | (18 << 16);

  private final List<ProvisionedPort> local;
  private final Map<String, int[]> networkIps;
  private final Set<Integer> known;
  private final double unknownShare;

  ArpWorkload(List<ProvisionedPort> local, Map<String, int[]> networkIps, Set<Integer> known,
      double unknownShare) {
    this.local = local;
    this.networkIps = networkIps;
    this.known = known;
    this.unknownShare = unknownShare;
  }

  /** Workloads for every switch of {@code ports}; a switch without ports fails at build time. */
  public static Factory factory(List<ProvisionedPort> ports, double unknownShare) {
    if (unknownShare < 0 || unknownShare >= 1) {
      // At 1 no probe would ever fill the window: the sender would loop forever.
      throw new IllegalArgumentException("unknown share must be within [0, 1)");
    }
    Map<String, int[]> byNetwork = ports.stream().collect(Collectors.groupingBy(
        ProvisionedPort::network,
        Collectors.collectingAndThen(Collectors.toList(),
            l -> l.stream().mapToInt(ProvisionedPort::ip).toArray())));
    Set<Integer> known = new HashSet<>();
    ports.forEach(p -> known.add(p.ip()));
    return sw -> {
      List<ProvisionedPort> local = new ArrayList<>();
      ports.stream().filter(p -> p.dpid() == sw.dpid()).forEach(local::add);
      if (local.isEmpty()) {
        throw new IllegalArgumentException("ARP workload: no provisioned port on dpid " + sw.dpid());
      }
      return new ArpWorkload(local, byNetwork, known, unknownShare);
    };
  }

  @Override
  public boolean usesBufferIds() { return false; }

  @Override
  public Probe next(SplittableRandom random) {
    ProvisionedPort asker = local.get(random.nextInt(local.size()));
    boolean unknown = random.nextDouble() < unknownShare;
    int asked = unknown ? unknownIp(random) : peerIp(asker, random);
    byte[] frame = Frames.arpRequest(asker.mac(), asker.ip(), asked);
    return new Probe(frame, asker.ofPort(), asker.metadata(), ProbeKeys.arpKey(asker.ip(), asked), !unknown);
  }

  private int peerIp(ProvisionedPort asker, SplittableRandom random) {
    int[] ips = networkIps.get(asker.network());
    if (ips.length == 1) {
      return ips[0]; // alone in its network: asks for itself, still a valid request
    }
    int ip;
    do {
      ip = ips[random.nextInt(ips.length)];
    } while (ip == asker.ip());
    return ip;
  }

  private int unknownIp(SplittableRandom random) {
    int ip;
    do {
      ip = UNKNOWN_BASE + random.nextInt(1 << 17);
    } while (known.contains(ip));
    return ip;
  }
}
