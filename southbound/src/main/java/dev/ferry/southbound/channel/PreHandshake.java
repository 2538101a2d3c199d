package dev.ferry.southbound.channel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.AttributeKey;

/**
 * What a switch may send before its handshake is done: only what the handshake needs, and the
 * asynchronous messages a real switch sends as soon as it is connected (PACKET_IN from flows it
 * kept while Ferry was away, FLOW_REMOVED, PORT_STATUS), which the handshake ignores. Anyone who
 * reaches the OpenFlow port gets this far, so until the switch is READY the decoders refuse
 * every other message type by its header (before its body is buffered or parsed), handshake
 * messages that claim to be big, and multipart replies other than PORT_DESC.
 */
final class PreHandshake {
  /** Set on the channel when the switch becomes READY; both decoders read it. */
  private static final AttributeKey<Boolean> DONE = AttributeKey.valueOf("ferry.handshakeDone");
  /** HELLO with its elements, ERROR with the start of our request, ECHO, FEATURES_REPLY... */
  static final int MAX_SMALL_MESSAGE = 2048;
  private static final int OFP13 = 4;
  private static final int HELLO = 0;
  private static final int ERROR = 1;
  private static final int ECHO_REQUEST = 2;
  private static final int ECHO_REPLY = 3;
  private static final int FEATURES_REPLY = 6;
  private static final int PACKET_IN = 10;
  private static final int FLOW_REMOVED = 11;
  private static final int PORT_STATUS = 12;
  private static final int MULTIPART_REPLY = 19;
  private static final int BARRIER_REPLY = 21;
  private static final int MULTIPART_PORT_DESC = 13;

  private PreHandshake() {}

  static boolean done(Channel channel) {
    return Boolean.TRUE.equals(channel.attr(DONE).get());
  }

  static void markDone(Channel channel) {
    channel.attr(DONE).set(Boolean.TRUE);
  }

  /** Checks version, type and length (the first 4 bytes at {@code at}) of a frame to come. */
  static void checkHeader(ByteBuf in, int at) {
    int version = in.getUnsignedByte(at);
    int type = in.getUnsignedByte(at + 1);
    int length = in.getUnsignedShort(at + 2);
    boolean anyVersion = type == HELLO || type == ERROR; // a foreign HELLO is answered, not parsed further
    boolean allowed = anyVersion || version == OFP13 && switch (type) {
      case ECHO_REQUEST, ECHO_REPLY, FEATURES_REPLY, PORT_STATUS, MULTIPART_REPLY, BARRIER_REPLY,
          PACKET_IN, FLOW_REMOVED -> true;
      default -> false;
    };
    if (!allowed) {
      throw new CorruptedFrameException("message type " + type + " (version " + version
          + ") before the handshake is done");
    }
    boolean mayBeBig = type == MULTIPART_REPLY || type == PACKET_IN; // ports; whole packets
    if (!mayBeBig && length > MAX_SMALL_MESSAGE) {
      throw new TooLongFrameException("message type " + type + " of " + length
          + " bytes before the handshake is done (at most " + MAX_SMALL_MESSAGE + ")");
    }
  }

  /** Checks a whole frame: of the multipart replies, the handshake needs PORT_DESC only. */
  static void checkFrame(ByteBuf frame) {
    int at = frame.readerIndex();
    if (frame.readableBytes() >= 10 && frame.getUnsignedByte(at + 1) == MULTIPART_REPLY
        && frame.getUnsignedShort(at + 8) != MULTIPART_PORT_DESC) {
      throw new CorruptedFrameException("multipart reply type " + frame.getUnsignedShort(at + 8)
          + " before the handshake is done");
    }
  }
}
