package dev.ferry.southbound;

/** A multipart reply went over its bounds (parts or bytes); its switch's channel is closed. */
public final class MultipartTooLargeException extends RuntimeException {
  public MultipartTooLargeException(String message) {
    super(message);
  }
}
