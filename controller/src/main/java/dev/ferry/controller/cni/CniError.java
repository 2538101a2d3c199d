package dev.ferry.controller.cni;

/**
 * A failure the plugin reports as the CNI spec's error result: {@code {"cniVersion", "code",
 * "msg", "details"}} on stdout and a non-zero exit. Codes 1-99 are the spec's; 100+ are Ferry's.
 */
public final class CniError extends RuntimeException {
  /** The spec's well-known codes (CNI 1.0.0, "Error"; 50/51 from 1.1 STATUS). */
  public static final int INCOMPATIBLE_VERSION = 1;
  public static final int UNSUPPORTED_FIELD = 2;
  public static final int UNKNOWN_CONTAINER = 3;
  public static final int INVALID_ENVIRONMENT = 4;
  public static final int IO_FAILURE = 5;
  public static final int DECODE_FAILURE = 6;
  public static final int INVALID_CONFIG = 7;
  public static final int TRY_AGAIN_LATER = 11;
  public static final int NOT_AVAILABLE = 50;
  /** Ferry's REST API refused the request (details: its error body). */
  public static final int FERRY_REFUSED = 100;
  /** Ferry's REST API could not be reached. */
  public static final int FERRY_UNREACHABLE = 101;
  /** A host command (ip, ovs-vsctl, nsenter) failed. */
  public static final int HOST_COMMAND_FAILED = 102;
  /** CHECK found the attachment differs from what ADD made. */
  public static final int CHECK_FAILED = 103;

  public final int code;
  public final String details;

  public CniError(int code, String msg, String details) {
    super(msg);
    this.code = code;
    this.details = details;
  }

  public CniError(int code, String msg) {
    this(code, msg, null);
  }
}
