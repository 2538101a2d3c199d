package dev.ferry.apps.pipeline;

/** A flow that breaks the pipeline declaration in {@link Table}: a bug in a compiler app. */
public final class PipelineViolation extends IllegalArgumentException {
  public PipelineViolation(String message) {
    super(message);
  }
}
