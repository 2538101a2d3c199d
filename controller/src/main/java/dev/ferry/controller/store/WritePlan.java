package dev.ferry.controller.store;

import java.util.List;

/**
 * What one validated write would commit: the answer for its caller and its changes in commit
 * order (none: nothing to do).
 *
 * @param primary the change naming the object the caller asked for (etcd reads its key back
 *     to tell whether a transaction whose answer was lost applied)
 * @param versionEach SQLite gives each change its own model version (a batch of ports: one per
 *     port); otherwise the write is one model version
 */
record WritePlan<R>(R result, List<Change<?>> changes, Change<?> primary, boolean versionEach) {

  static <R> WritePlan<R> nothing(R result) {
    return new WritePlan<>(result, List.of(), null, false);
  }

  boolean modelChange() {
    return changes.stream().anyMatch(c -> c.resource().inModel());
  }
}
