package dev.ferry.tests.harness;

import java.util.SplittableRandom;

/** What one emulated switch sends as packet-ins; one instance per switch, used on its event loop. */
public interface Workload {
  Probe next(SplittableRandom random);

  /** Whether packet-ins carry buffer ids (controllers then answer by buffer id, without data). */
  boolean usesBufferIds();

  /** Builds the workload of one switch. */
  interface Factory {
    Workload forSwitch(SwitchDescription sw);
  }
}
