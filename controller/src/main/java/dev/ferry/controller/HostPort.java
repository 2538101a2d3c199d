package dev.ferry.controller;

/** A listen address, written HOST:PORT. */
public record HostPort(String host, int port) {

  public static HostPort parse(String text) {
    int colon = text == null ? -1 : text.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("'" + text + "' is not HOST:PORT (e.g. 0.0.0.0:8080)");
    }
    try {
      int port = Integer.parseInt(text.substring(colon + 1));
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return new HostPort(text.substring(0, colon), port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' has no valid port 0..65535 after the colon");
    }
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
