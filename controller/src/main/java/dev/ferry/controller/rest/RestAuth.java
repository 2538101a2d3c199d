package dev.ferry.controller.rest;

import dev.ferry.controller.store.Rejection;
import dev.ferry.controller.store.Store;
import dev.ferry.controller.store.TokenHash;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Pattern;

/**
 * Bearer-token authentication: the admin token, a tenant token or a host credential (both
 * held hashed in the store).
 */
public final class RestAuth {

  private static final String ATTRIBUTE = "ferry.principal";

  /** The event stream's path: the one route that takes a ticket instead of a header. */
  public static final String EVENTS_PATH = "/v1/events";

  private final byte[] adminTokenHash;
  private final Store store;
  private final StreamTickets tickets = new StreamTickets();

  public RestAuth(String adminToken, Store store) {
    this.adminTokenHash = TokenHash.sha256(adminToken).getBytes(StandardCharsets.US_ASCII);
    this.store = store;
  }

  /** Resolves the caller from the Authorization header, or rejects with 401. */
  void authenticate(Context ctx) {
    String header = ctx.header("Authorization");
    String ticket = ctx.queryParam("ticket");
    if (header == null && ticket != null && ctx.path().equals(EVENTS_PATH)) {
      Principal p = tickets.redeem(ticket).orElseThrow(() -> new Rejection(
          Rejection.Reason.UNAUTHORIZED, "unauthorized", "ticket",
          "the event ticket is unknown, used or expired; ask POST /v1/events/tickets for another"));
      ctx.attribute(ATTRIBUTE, p);
      return;
    }
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw new Rejection(Rejection.Reason.UNAUTHORIZED, "unauthorized", null,
          "missing 'Authorization: Bearer <token>' header");
    }
    String token = header.substring(7).trim();
    String hash = TokenHash.sha256(token);
    if (MessageDigest.isEqual(adminTokenHash, hash.getBytes(StandardCharsets.US_ASCII))) {
      ctx.attribute(ATTRIBUTE, Principal.ADMIN);
      return;
    }
    var tenant = store.tenantOfToken(token);
    if (tenant.isPresent()) {
      ctx.attribute(ATTRIBUTE, Principal.tenant(tenant.get()));
      return;
    }
    var host = store.hostOfToken(token);
    if (host.isEmpty()) {
      ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      throw new Rejection(Rejection.Reason.UNAUTHORIZED, "unauthorized", null, "the bearer token is not valid");
    }
    if (!HOST_ROUTES.matcher(ctx.method().name() + " " + ctx.path()).matches()) {
      throw new Rejection(Rejection.Reason.FORBIDDEN, "forbidden", null,
          "a host credential may only read networks and bind ports to its own host");
    }
    ctx.attribute(ATTRIBUTE, Principal.host(host.get()));
  }

  /** What a host credential may call: read networks, and read and write ports (checked per port). */
  private static final Pattern HOST_ROUTES = Pattern.compile(
      "GET /v1/networks(/[^/]+)?|(GET|POST) /v1/ports|(GET|PUT|PATCH|DELETE) /v1/ports/[^/]+");

  /** Tickets for the event stream (see {@link StreamTickets}). */
  public StreamTickets tickets() {
    return tickets;
  }

  /** The authenticated caller of this request. */
  public static Principal principal(Context ctx) {
    Principal p = ctx.attribute(ATTRIBUTE);
    if (p == null) {
      throw new IllegalStateException("route ran without authentication: " + ctx.path());
    }
    return p;
  }

  /** Rejects a tenant (or host) caller with 403. */
  public static Principal requireAdmin(Context ctx) {
    Principal p = principal(ctx);
    if (!p.isAdmin()) {
      throw new Rejection(Rejection.Reason.FORBIDDEN, "forbidden", null,
          "this route needs the admin token; tenant tokens may not use it");
    }
    return p;
  }
}
