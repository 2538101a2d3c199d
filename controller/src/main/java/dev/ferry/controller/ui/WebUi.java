package dev.ferry.controller.ui;

import dev.ferry.controller.rest.RestRoutes;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;

/**
 * The web view: static files (plain HTML, CSS and JavaScript, no build step) under /ui, served
 * from the classpath. The page holds no data of its own: it calls the REST API with the token
 * the user types in, so a tenant token sees exactly what it sees through REST.
 */
public final class WebUi implements RestRoutes {
  public static final String PATH = "/ui";

  /** Adds the static files to a Javalin configuration. */
  public static void configure(JavalinConfig cfg) {
    cfg.staticFiles.add(files -> {
      files.hostedPath = PATH;
      files.directory = "/ui";
      files.location = Location.CLASSPATH;
    });
  }

  @Override
  public void register(Javalin app) {
    app.get("/", ctx -> ctx.redirect(PATH + "/"));
  }
}
