package dev.ferry.tests.southbound;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/**
 * A hostile switch on a raw socket: speaks just enough OpenFlow 1.3 by hand (HELLO, FEATURES
 * REPLY with a chosen dpid, an empty PORT_DESC, barrier and echo replies) to get where an
 * attacker wants to be, then sends what it likes. Reads frame by frame; {@link #next} tells when
 * the controller closed the connection.
 */
final class RawSwitch implements AutoCloseable {
  static final int HELLO = 0;
  static final int ECHO_REQUEST = 2;
  static final int FEATURES_REQUEST = 5;
  static final int FLOW_MOD = 14;
  static final int BARRIER_REQUEST = 20;
  static final int MULTIPART_REQUEST = 18;

  /** One message from the controller; null type = the connection was closed. */
  record Message(int type, long xid, byte[] bytes) {
    int multipartType() {
      return ByteBuffer.wrap(bytes).getShort(8) & 0xffff;
    }
  }

  private final Socket socket = new Socket();
  private final DataInputStream in;
  private final OutputStream out;

  RawSwitch(InetSocketAddress controller) throws IOException {
    socket.connect(controller, 5_000);
    socket.setSoTimeout(5_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** The next message, or null once the controller closed the connection. */
  Message next() throws IOException {
    try {
      byte[] header = new byte[8];
      in.readFully(header);
      ByteBuffer h = ByteBuffer.wrap(header);
      int length = h.getShort(2) & 0xffff;
      byte[] all = new byte[Math.max(8, length)];
      System.arraycopy(header, 0, all, 0, 8);
      in.readFully(all, 8, all.length - 8);
      return new Message(header[1] & 0xff, h.getInt(4) & 0xffffffffL, all);
    } catch (EOFException | SocketException closed) {
      return null;
    }
  }

  /** True when the controller closes the connection within the socket timeout. */
  boolean closedByController() throws IOException {
    try {
      while (next() != null) {
        // drain whatever the controller still had queued
      }
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    }
  }

  void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** HELLO, then the FEATURES_REPLY naming dpid; returns once the controller asked for it. */
  void helloAndFeatures(long dpid) throws IOException {
    send(header(HELLO, 8, 1));
    Message m;
    while ((m = next()) != null && m.type() != FEATURES_REQUEST) {
      // the controller's HELLO
    }
    if (m == null) {
      throw new IOException("closed before FEATURES_REQUEST");
    }
    send(ByteBuffer.allocate(32).put(header(6, 32, m.xid())).putLong(dpid).putInt(0).put((byte) 254)
        .array());
  }

  /**
   * The whole handshake as dpid: answers PORT_DESC with no ports and the config barrier.
   * Returns true when the controller got as far as the barrier (it may still refuse after).
   */
  boolean handshake(long dpid) throws IOException {
    helloAndFeatures(dpid);
    for (Message m = next(); m != null; m = next()) {
      if (m.type() == MULTIPART_REQUEST) {
        send(multipartReply(m.xid(), m.multipartType(), false, new byte[0]));
      } else if (m.type() == BARRIER_REQUEST) {
        send(header(21, 8, m.xid()));
        return true;
      }
    }
    return false;
  }

  static byte[] header(int type, int length, long xid) {
    return ByteBuffer.allocate(8).put((byte) 4).put((byte) type).putShort((short) length)
        .putInt((int) xid).array();
  }

  static byte[] multipartReply(long xid, int multipartType, boolean more, byte[] body) {
    return ByteBuffer.allocate(16 + body.length).put(header(19, 16 + body.length, xid))
        .putShort((short) multipartType).putShort((short) (more ? 1 : 0)).putInt(0).put(body)
        .array();
  }

  /**
   * The 80-byte attack: a flow stats reply whose only entry holds the Nicira vendor id where
   * Ferry's stand-in rewrite looks for it (here in the cookie and packet count), and an
   * apply-actions instruction of length 0, which once never advanced the rewrite's loop.
   */
  static byte[] zeroLengthInstruction(long xid) {
    ByteBuffer entry = ByteBuffer.allocate(64);
    entry.putShort((short) 64).put((byte) 0).put((byte) 0).putInt(1).putInt(0)
        .putShort((short) 100).putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0);
    entry.putLong(0xffff_0000_0000_2320L).putLong(0x0023_0000_0000_0000L).putLong(0); // cookie, counts
    entry.putShort((short) 1).putShort((short) 4).putInt(0); // empty match
    entry.putShort((short) 4).putShort((short) 0).putInt(0); // apply-actions of length 0
    return multipartReply(xid, 1, false, entry.array());
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
