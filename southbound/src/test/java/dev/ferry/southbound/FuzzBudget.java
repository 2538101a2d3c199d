package dev.ferry.southbound;

/** How long each fuzz target fuzzes in a normal build (after replaying its corpus). */
public final class FuzzBudget {
  /** The frame decoder and the Nicira rewrite: small, fast code. */
  public static final String PER_TARGET = "10s";

  /**
   * The message decoder runs into openflowj, whose classes Jazzer instruments as they are first
   * loaded: that takes most of the first seconds (and much longer on a loaded machine).
   */
  public static final String THROUGH_OPENFLOWJ = "30s";

  private FuzzBudget() {}
}
