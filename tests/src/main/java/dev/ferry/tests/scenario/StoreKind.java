package dev.ferry.tests.scenario;

/**
 * Which store an {@link OverlayLab}'s Ferry runs on: end-to-end tests take it as a parameter
 * ({@code @ParameterizedTest @EnumSource(StoreKind.class)}) so one suite covers both.
 */
public enum StoreKind {
  /** The embedded SQLite file (the default, {@code ./ferry run}). */
  SQLITE,
  /** A one-node cluster on a real etcd the lab starts ({@code --store etcd://...}): mastership, watch, CAS. */
  ETCD
}
