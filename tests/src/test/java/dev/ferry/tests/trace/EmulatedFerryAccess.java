package dev.ferry.tests.trace;

import java.nio.file.Path;

/** {@link EmulatedFerry} for tests in other packages (the web view's browser tests). */
public final class EmulatedFerryAccess implements AutoCloseable {
  private final EmulatedFerry ferry;

  private EmulatedFerryAccess(EmulatedFerry ferry) {
    this.ferry = ferry;
  }

  public static EmulatedFerryAccess start(Path dataDir) {
    return new EmulatedFerryAccess(new EmulatedFerry(dataDir));
  }

  public String url() {
    return ferry.url();
  }

  public String adminToken() {
    return EmulatedFerry.ADMIN_TOKEN;
  }

  public String blueToken() {
    return ferry.blueToken;
  }

  /** A new port of blue-net through REST, as another client would create it. */
  public void createBluePort(String name, String host, String iface) {
    ferry.admin.createPort(ferry.blueNet, name, null, null, host, iface);
  }

  @Override
  public void close() {
    ferry.close();
  }
}
