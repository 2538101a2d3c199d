package dev.ferry.southbound.channel;

import java.util.List;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFHelloElem;
import org.projectfloodlight.openflow.protocol.OFHelloElemVersionbitmap;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.U32;

/** OpenFlow version negotiation from a peer's HELLO. Ferry speaks OpenFlow 1.3 only. */
final class VersionNegotiation {
  static final OFVersion OURS = OFVersion.OF_13;

  private VersionNegotiation() {}

  /**
   * With a version bitmap both sides pick the highest common version, which must be ours;
   * without one the negotiated version is min(ours, theirs).
   */
  static boolean agreesOnOurs(OFHello hello) {
    List<U32> bitmap = bitmapOf(hello);
    if (bitmap != null) {
      return hasVersion(bitmap, OURS.getWireVersion());
    }
    return hello.getVersion().getWireVersion() >= OURS.getWireVersion();
  }

  /** Our HELLO: version 1.3 and a bitmap naming only 1.3. */
  static U32 ourBitmap() {
    return U32.of(1L << OURS.getWireVersion());
  }

  private static List<U32> bitmapOf(OFHello hello) {
    if (hello.getVersion().compareTo(OFVersion.OF_13) < 0) {
      return null;
    }
    for (OFHelloElem element : hello.getElements()) {
      if (element instanceof OFHelloElemVersionbitmap versions) {
        return versions.getBitmaps();
      }
    }
    return null;
  }

  private static boolean hasVersion(List<U32> bitmap, int wireVersion) {
    int word = wireVersion / 32;
    return word < bitmap.size() && (bitmap.get(word).getValue() & (1L << (wireVersion % 32))) != 0;
  }
}
