package dev.ferry.tests.harness;

/** The controller said something an emulated switch does not understand; the run is void. */
public final class HandshakeException extends RuntimeException {
  public HandshakeException(String message) {
    super(message);
  }

  public HandshakeException(String message, Throwable cause) {
    super(message, cause);
  }
}
