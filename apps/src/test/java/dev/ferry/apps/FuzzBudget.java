package dev.ferry.apps;

/** How long each fuzz target fuzzes in a normal build (after replaying its corpus). */
public final class FuzzBudget {
  /** Four small parsers here, each covered within seconds: 40 s for the module. */
  public static final String PER_TARGET = "10s";

  private FuzzBudget() {}
}
