package dev.ferry.controller.rest;

import io.javalin.Javalin;

/**
 * A module of REST routes. Routes under /v1 are authenticated before they run (see
 * {@link RestAuth#principal} and {@link RestAuth#requireAdmin}); throw
 * {@link dev.ferry.controller.store.Rejection} for a JSON error with the right status.
 */
@FunctionalInterface
public interface RestRoutes {
  void register(Javalin app);
}
