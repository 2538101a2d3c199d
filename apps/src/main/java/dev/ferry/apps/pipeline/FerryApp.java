package dev.ferry.apps.pipeline;

import com.google.common.hash.Hashing;
import dev.ferry.southbound.flow.FerryCookie;
import java.nio.charset.StandardCharsets;

/**
 * The apps that own flows; the id goes into the cookie's app byte ({@link FerryCookie}), the
 * low 48 bits name the model object (a hash of its id), so a flow on a switch traces back to
 * its owner and a tenant object's flows can be deleted with one masked delete.
 */
public enum FerryApp {
  PIPELINE(1),
  CLASSIFY(2),
  PORT_SECURITY(3),
  ARP(4),
  L2(5),
  GATEWAY(6),
  ROUTING(7),
  NAT(8),
  DHCP(9),
  SECURITY_GROUPS(10);

  private final int id;

  FerryApp(int id) {
    this.id = id;
  }

  public int id() {
    return id;
  }

  /** Cookie naming this app and the model object with the given id. */
  public long cookie(String objectId) {
    return FerryCookie.of(id, objectHash(objectId));
  }

  /** A cookie for flows that belong to no model object (table defaults). */
  public long cookie() {
    return FerryCookie.of(id, 0);
  }

  /** 48-bit stable hash of a model id; murmur3 so it is the same in every JVM and run. */
  public static long objectHash(String objectId) {
    return Hashing.murmur3_128().hashString(objectId, StandardCharsets.UTF_8).asLong()
        & ((1L << 48) - 1);
  }

  public static FerryApp byId(int id) {
    for (FerryApp a : values()) {
      if (a.id == id) {
        return a;
      }
    }
    throw new IllegalArgumentException("no app with id " + id);
  }
}
