package dev.ferry.controller.store;

import java.util.List;

/**
 * A batch the model refuses as a whole: nothing of it was written. Names every item that
 * failed by its index in the request, with the rejection it alone would have got.
 */
public final class BatchRejection extends RuntimeException {

  /** One refused item. */
  public record Failure(int index, Rejection rejection) {}

  private final int items;
  private final List<Failure> failures;

  public BatchRejection(int items, List<Failure> failures) {
    super(failures.size() + " of " + items + " items refused; nothing was created");
    this.items = items;
    this.failures = List.copyOf(failures);
  }

  public int items() {
    return items;
  }

  public List<Failure> failures() {
    return failures;
  }
}
