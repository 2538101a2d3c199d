package dev.ferry.controller.rest;

import dev.ferry.controller.store.Rejection;
import dev.ferry.controller.store.Store;
import dev.ferry.controller.store.TokenHash;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Bearer-token authentication: the admin token, or a tenant token held hashed in the store. */
public final class RestAuth {

  private static final String ATTRIBUTE = "ferry.principal";

  private final byte[] adminTokenHash;
  private final Store store;

  public RestAuth(String adminToken, Store store) {
    this.adminTokenHash = TokenHash.sha256(adminToken).getBytes(StandardCharsets.US_ASCII);
    this.store = store;
  }

  /** Resolves the caller from the Authorization header, or rejects with 401. */
  void authenticate(Context ctx) {
    String header = ctx.header("Authorization");
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
    String tenant = store.tenantOfToken(token).orElseThrow(() -> {
      ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      return new Rejection(Rejection.Reason.UNAUTHORIZED, "unauthorized", null,
          "the bearer token is not valid");
    });
    ctx.attribute(ATTRIBUTE, new Principal(tenant));
  }

  /** The authenticated caller of this request. */
  public static Principal principal(Context ctx) {
    Principal p = ctx.attribute(ATTRIBUTE);
    if (p == null) {
      throw new IllegalStateException("route ran without authentication: " + ctx.path());
    }
    return p;
  }

  /** Rejects a tenant caller with 403. */
  public static Principal requireAdmin(Context ctx) {
    Principal p = principal(ctx);
    if (!p.isAdmin()) {
      throw new Rejection(Rejection.Reason.FORBIDDEN, "forbidden", null,
          "this route needs the admin token; tenant tokens may not use it");
    }
    return p;
  }
}
