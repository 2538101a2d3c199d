package dev.ferry.controller.store;

/**
 * A request the model refuses. Nothing was written. The reason maps onto an HTTP status at the
 * REST edge; the code and field name what the client must fix.
 */
public final class Rejection extends RuntimeException {

  /** Why a request was refused; each maps to one HTTP status. */
  public enum Reason {
    BAD_REQUEST(400), UNAUTHORIZED(401), FORBIDDEN(403), NOT_FOUND(404), CONFLICT(409),
    STALE(412), INVALID(422), UNAVAILABLE(503);

    public final int status;

    Reason(int status) {
      this.status = status;
    }
  }

  private final Reason reason;
  private final String code;
  private final String field;

  public Rejection(Reason reason, String code, String field, String message) {
    super(message);
    this.reason = reason;
    this.code = code;
    this.field = field;
  }

  public static Rejection invalid(String field, String message) {
    return new Rejection(Reason.INVALID, "invalid_value", field, message);
  }

  public static Rejection conflict(String code, String field, String message) {
    return new Rejection(Reason.CONFLICT, code, field, message);
  }

  public static Rejection notFound(String kind, String id) {
    return new Rejection(Reason.NOT_FOUND, "not_found", null, kind + " '" + id + "' not found");
  }

  public static Rejection unknownReference(String field, String kind, String id) {
    return new Rejection(Reason.INVALID, "unknown_reference", field,
        "no " + kind + " '" + id + "'");
  }

  /** The store cannot be reached or reach agreement (a clustered store without quorum). */
  public static Rejection unavailable(String message) {
    return new Rejection(Reason.UNAVAILABLE, "store_unavailable", null, message);
  }

  public static Rejection stale(long expected, long actual) {
    return new Rejection(Reason.STALE, "stale_revision", "revision",
        "If-Match revision " + expected + " is stale; current revision is " + actual
            + ": re-read the object and retry");
  }

  public Reason reason() {
    return reason;
  }

  public String code() {
    return code;
  }

  /** The request field at fault (wire name), or null. */
  public String field() {
    return field;
  }
}
