package dev.ferry.southbound;

/** How long each fuzz target fuzzes in a normal build (after replaying its corpus). */
public final class FuzzBudget {
  /** Three targets here: under a minute for the module. */
  public static final String PER_TARGET = "15s";

  private FuzzBudget() {}
}
