package dev.ferry.southbound;

/** The switch went away (or was replaced, or declared stuck) before a request completed. */
public final class SwitchDisconnectedException extends RuntimeException {
  public SwitchDisconnectedException(String message) {
    super(message);
  }
}
