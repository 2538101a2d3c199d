package dev.ferry.controller;

import dev.ferry.controller.rest.RestAuth;
import dev.ferry.controller.rest.RestRoutes;
import dev.ferry.controller.rest.RestServer;
import dev.ferry.controller.store.SqliteStore;
import dev.ferry.controller.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The running controller: the composition of its parts, started in dependency order and
 * stopped in reverse. Add a part here (OpenFlow server, engine) and nowhere else.
 */
public final class Ferry implements AutoCloseable {

  private static final Logger LOG = LogManager.getLogger(Ferry.class);

  private final FerryConfig config;
  private final RuntimeView runtime;
  private final List<RestRoutes> extraRoutes;
  private Store store;
  private RestServer rest;
  private String adminToken;

  public Ferry(FerryConfig config) {
    this(config, RuntimeView.NONE, List.of());
  }

  public Ferry(FerryConfig config, RuntimeView runtime, List<RestRoutes> extraRoutes) {
    this.config = config;
    this.runtime = runtime;
    this.extraRoutes = List.copyOf(extraRoutes);
  }

  public synchronized Ferry start() {
    try {
      adminToken = AdminToken.resolve(config.adminToken(), config.dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the admin token in " + config.dataDir(), e);
    }
    store = SqliteStore.open(config.dataDir());
    try {
      rest = new RestServer(store, runtime, new RestAuth(adminToken, store), extraRoutes)
          .start(config.restListen().host(), config.restListen().port());
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    LOG.info("Ferry started: REST on {}:{}, data in {}", config.restListen().host(), rest.port(),
        config.dataDir().toAbsolutePath());
    return this;
  }

  public synchronized void stop() {
    if (rest != null) {
      rest.stop();
      rest = null;
    }
    if (store != null) {
      store.close();
      store = null;
    }
    LOG.info("Ferry stopped");
  }

  @Override
  public void close() {
    stop();
  }

  public FerryConfig config() {
    return config;
  }

  public Store store() {
    return store;
  }

  /** The REST port actually bound (differs from the config when it asked for port 0). */
  public int restPort() {
    return rest.port();
  }

  public String adminToken() {
    return adminToken;
  }
}
