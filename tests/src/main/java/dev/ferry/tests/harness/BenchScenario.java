package dev.ferry.tests.harness;

import org.projectfloodlight.openflow.protocol.OFVersion;

/** The name of a run as it appears in reports: which controller, load and protocol. */
public record BenchScenario(String controller, String workload, LoadMode mode, OFVersion version,
    int switches) {

  public String ofVersion() { return version == OFVersion.OF_10 ? "1.0" : "1.3"; }
}
