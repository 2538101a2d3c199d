package dev.ferry.tests.harness;

import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * How many switches to emulate and how.
 *
 * @param storeFlows keep flow-mods in each switch's flow table (reconciler and scale runs);
 *     load runs turn it off so millions of learned flows do not fill the heap
 * @param eventLoopThreads Netty I/O threads; 1 keeps the load side on one pinnable core
 */
public record EmulatorConfig(
    String host,
    int port,
    int switches,
    int portsPerSwitch,
    OFVersion version,
    long firstDpid,
    boolean storeFlows,
    int eventLoopThreads) {

  public EmulatorConfig {
    if (switches < 1 || switches > 1000) {
      throw new IllegalArgumentException("switches must be 1..1000, was " + switches);
    }
    if (version != OFVersion.OF_10 && version != OFVersion.OF_13) {
      throw new IllegalArgumentException("the emulator speaks OF1.0 and OF1.3, not " + version);
    }
    if (portsPerSwitch < 1 || portsPerSwitch >= SwitchDescription.TUNNEL_PORT) {
      throw new IllegalArgumentException("portsPerSwitch must be 1..65279 (65280 is the tunnel port)");
    }
  }

  public static EmulatorConfig of(String host, int port, int switches, OFVersion version) {
    return new EmulatorConfig(host, port, switches, 4, version, 1, true, 1);
  }

  public EmulatorConfig withStoreFlows(boolean store) {
    return new EmulatorConfig(host, port, switches, portsPerSwitch, version, firstDpid, store,
        eventLoopThreads);
  }

  public EmulatorConfig withEventLoopThreads(int threads) {
    return new EmulatorConfig(host, port, switches, portsPerSwitch, version, firstDpid, storeFlows,
        threads);
  }

  public EmulatorConfig withPortsPerSwitch(int ports) {
    return new EmulatorConfig(host, port, switches, ports, version, firstDpid, storeFlows,
        eventLoopThreads);
  }
}
