package dev.ferry.apps.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * tcpdump as an independent decoder of the frames the packet apps build: writes them into a
 * pcap file and returns tcpdump's verbose reading (it flags bad checksums).
 */
public final class Tcpdump {
  public static final Path BINARY = Path.of("/usr/bin/tcpdump");

  private Tcpdump() {}

  public static boolean available() {
    return Files.isExecutable(BINARY);
  }

  public static String decode(byte[] frame) throws IOException, InterruptedException {
    Path pcap = Files.createTempFile("ferry-apps", ".pcap");
    try {
      Files.write(pcap, pcap(frame));
      Process p = new ProcessBuilder(BINARY.toString(), "-nn", "-vvv", "-e", "-r", pcap.toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return out;
    } finally {
      Files.deleteIfExists(pcap);
    }
  }

  private static byte[] pcap(byte[] frame) {
    ByteBuffer b = ByteBuffer.allocate(24 + 16 + frame.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
        .putInt(65535).putInt(1); // LINKTYPE_ETHERNET
    b.putInt(0).putInt(0).putInt(frame.length).putInt(frame.length).put(frame);
    return b.array();
  }
}
