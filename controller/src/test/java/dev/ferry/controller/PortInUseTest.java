package dev.ferry.controller;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting Ferry on a taken port says who holds it and what to do, for each listener. */
class PortInUseTest {

  @Test
  void openflowPortTakenNamesTheHolder(@TempDir Path data) throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = taken.getLocalPort();
      FerryConfig config = new FerryConfig(new HostPort("127.0.0.1", port), new HostPort("127.0.0.1", 0), data, "t",
          Duration.ofSeconds(1), Duration.ofSeconds(3));
      PortInUse e = assertThrows(PortInUse.class, () -> new Ferry(config).start());
      assertTrue(e.getMessage().contains("OpenFlow on 127.0.0.1:" + port + ": the port is already in use"), e.getMessage());
      assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
      assertTrue(e.getMessage().contains("--openflow-listen"), e.getMessage());
    }
  }

  @Test
  void restPortTakenNamesTheFlag(@TempDir Path data) throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = taken.getLocalPort();
      FerryConfig config = new FerryConfig(new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", port), data, "t",
          Duration.ofSeconds(1), Duration.ofSeconds(3));
      PortInUse e = assertThrows(PortInUse.class, () -> new Ferry(config).start());
      assertTrue(e.getMessage().contains("REST on 127.0.0.1:" + port) && e.getMessage().contains("--rest-listen"),
          e.getMessage());
    }
  }
}
