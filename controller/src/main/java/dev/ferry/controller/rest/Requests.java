package dev.ferry.controller.rest;

import dev.ferry.controller.store.Rejection;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Set;
import java.util.TreeSet;

/** Small pieces every resource needs: If-Match, ETag, 201 + Location, checked filters. */
final class Requests {

  private Requests() {}

  /** The revision in If-Match (3, "3" or W/"3"), or null when absent. */
  static Long ifMatch(Context ctx) {
    String h = ctx.header("If-Match");
    if (h == null || h.isBlank() || h.trim().equals("*")) {
      return null;
    }
    String v = h.trim().replaceFirst("^W/", "").replace("\"", "");
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw Json.badRequest("bad_header", "If-Match",
          "If-Match must be an object's revision, e.g. If-Match: \"3\"");
    }
  }

  static void ok(Context ctx, long revision, Object body) {
    ctx.header("ETag", "\"" + revision + "\"");
    ctx.json(body);
  }

  static void created(Context ctx, String location, long revision, Object body) {
    ctx.status(HttpStatus.CREATED);
    ctx.header("Location", location);
    ok(ctx, revision, body);
  }

  /** Rejects query parameters a route does not know, so a typo never widens a listing. */
  static void onlyFilters(Context ctx, String... known) {
    Set<String> allowed = Set.of(known);
    for (String name : ctx.queryParamMap().keySet()) {
      if (!allowed.contains(name)) {
        throw Json.badRequest("unknown_parameter", name, "unknown query parameter '" + name
            + "'; this list filters by: " + (known.length == 0 ? "nothing" : String.join(", ", new TreeSet<>(allowed))));
      }
    }
  }

  /** The body's id, when given on update, must name the object in the path. */
  static void sameId(String bodyId, String pathId) {
    if (bodyId != null && !bodyId.equals(pathId)) {
      throw Rejection.invalid("id", "body id '" + bodyId + "' differs from the id in the path '" + pathId + "'");
    }
  }

  /**
   * 204 when the object was there (and is gone now), else 404 as Neutron and Kubernetes answer:
   * a DELETE of nothing is an error a script should see. For a tenant, another tenant's object
   * counts as absent, so the answer reveals nothing.
   */
  static void deleted(Context ctx, boolean existed, String kind, String id) {
    if (!existed) {
      throw Rejection.notFound(kind, id);
    }
    ctx.status(HttpStatus.NO_CONTENT);
  }
}
