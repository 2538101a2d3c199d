package dev.ferry.southbound.flow;

/**
 * Cookie layout of every flow Ferry installs: the top byte marks the flow as Ferry's, the next
 * byte names the app that owns it, the low 48 bits name the model object it came from. The
 * reconciler reads and deletes only flows under {@link #FERRY_MASK}, so foreign flows survive.
 */
public final class FerryCookie {
  public static final long FERRY_TAG = 0xFEL << 56;
  public static final long FERRY_MASK = 0xFFL << 56;
  private static final long OBJECT_MASK = (1L << 48) - 1;

  private FerryCookie() {}

  public static long of(int appId, long objectId) {
    return FERRY_TAG | ((long) (appId & 0xFF) << 48) | (objectId & OBJECT_MASK);
  }

  public static boolean isFerry(long cookie) {
    return (cookie & FERRY_MASK) == FERRY_TAG;
  }

  public static int appId(long cookie) {
    return (int) ((cookie >>> 48) & 0xFF);
  }

  public static long objectId(long cookie) {
    return cookie & OBJECT_MASK;
  }
}
