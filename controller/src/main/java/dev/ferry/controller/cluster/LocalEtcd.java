package dev.ferry.controller.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A throwaway etcd cluster of real {@code etcd} processes (Debian's etcd-server) on loopback,
 * each member with random free ports and its own data directory under one temp directory. For
 * tests and the dev helper: {@link #close()} stops every member by its PID and removes the
 * directory, also after a failure.
 */
public final class LocalEtcd implements AutoCloseable {

  /** One member: its name, client and peer ports, and (while running) its process. */
  public static final class Member {
    final String name;
    final int clientPort;
    final int peerPort;
    Process process;

    Member(String name, int clientPort, int peerPort) {
      this.name = name;
      this.clientPort = clientPort;
      this.peerPort = peerPort;
    }

    public String endpoint() {
      return "http://127.0.0.1:" + clientPort;
    }

    public boolean running() {
      return process != null && process.isAlive();
    }

    public long pid() {
      return process.pid();
    }
  }

  private final Path dir;
  private final List<Member> members = new ArrayList<>();
  private final String initialCluster;

  private LocalEtcd(Path dir, int size) throws IOException {
    this.dir = dir;
    for (int i = 0; i < size; i++) {
      members.add(new Member("m" + i, freePort(), freePort()));
    }
    initialCluster = members.stream().map(m -> m.name + "=http://127.0.0.1:" + m.peerPort)
        .collect(Collectors.joining(","));
  }

  /**
   * Starts {@code size} members and returns once every one of them accepts clients. The ports
   * are free when picked but not held: when another process takes one first (etcd then exits
   * with "address already in use"), starts again on new ports, at most three times.
   */
  public static LocalEtcd start(int size) {
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(size);
      } catch (PortTaken e) {
        if (attempt == 3) {
          throw new IllegalStateException("cannot start a local etcd: " + e.getMessage(), e);
        }
      }
    }
  }

  /** A member could not bind a port it was given. */
  private static final class PortTaken extends RuntimeException {
    PortTaken(String message) {
      super(message);
    }
  }

  private static LocalEtcd startOnce(int size) {
    Path dir;
    try {
      dir = Files.createTempDirectory("ferry-etcd-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LocalEtcd etcd = null;
    try {
      etcd = new LocalEtcd(dir, size);
      for (Member m : etcd.members) {
        etcd.launch(m);
      }
      for (Member m : etcd.members) {
        etcd.awaitListening(m);
      }
      return etcd;
    } catch (IOException | RuntimeException e) {
      boolean portTaken = etcd != null && etcd.members.stream().anyMatch(etcd::lostItsPort);
      if (etcd != null) {
        etcd.close();
      } else {
        deleteTree(dir);
      }
      if (portTaken) {
        throw new PortTaken(e.getMessage());
      }
      throw new IllegalStateException("cannot start a local etcd: " + e.getMessage(), e);
    }
  }

  private void launch(Member m) throws IOException {
    Path data = dir.resolve(m.name);
    Files.createDirectories(data);
    String client = "http://127.0.0.1:" + m.clientPort;
    String peer = "http://127.0.0.1:" + m.peerPort;
    ProcessBuilder pb = new ProcessBuilder("etcd",
        "--name", m.name,
        "--data-dir", data.toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
        "--initial-cluster", initialCluster,
        "--initial-cluster-state", "new",
        "--initial-cluster-token", dir.getFileName().toString(),
        // Short Raft timers: loopback members, and leases as short as failover needs.
        "--heartbeat-interval", "50", "--election-timeout", "500",
        "--log-level", "warn", "--logger", "zap")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(m.name + ".log").toFile());
    m.process = pb.start();
  }

  private boolean lostItsPort(Member m) {
    try {
      return Files.readString(dir.resolve(m.name + ".log")).contains("address already in use");
    } catch (IOException e) {
      return false;
    }
  }

  private void awaitListening(Member m) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!m.process.isAlive()) {
        throw new IllegalStateException("etcd " + m.name + " exited with " + m.process.exitValue()
            + "; see " + dir.resolve(m.name + ".log"));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", m.clientPort), 200);
        return;
      } catch (IOException e) {
        try {
          Thread.sleep(20); // nothing to wait on but the port: a short poll with a deadline
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", ie);
        }
      }
    }
    throw new IllegalStateException("etcd " + m.name + " did not listen on " + m.clientPort + " in 20 s");
  }

  public List<Member> members() {
    return List.copyOf(members);
  }

  /** The client endpoints of every member, as etcd:// takes them ({@code host:port,...}). */
  public String hostPorts() {
    return members.stream().map(m -> "127.0.0.1:" + m.clientPort).collect(Collectors.joining(","));
  }

  /** The store location of this cluster: {@code etcd://127.0.0.1:p1,127.0.0.1:p2,...}. */
  public String storeUri() {
    return "etcd://" + hostPorts();
  }

  /** SIGKILLs one member (by PID) and waits for it to be gone. */
  public void kill(Member m) {
    m.process.destroyForcibly();
    try {
      m.process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Restarts a killed member on its old ports and data (it rejoins the cluster). */
  public void restart(Member m) {
    try {
      Path data = dir.resolve(m.name);
      String client = "http://127.0.0.1:" + m.clientPort;
      String peer = "http://127.0.0.1:" + m.peerPort;
      m.process = new ProcessBuilder("etcd", "--name", m.name, "--data-dir", data.toString(),
          "--listen-client-urls", client, "--advertise-client-urls", client,
          "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
          "--heartbeat-interval", "50", "--election-timeout", "500", "--log-level", "warn", "--logger", "zap")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(m.name + ".log").toFile()))
          .start();
      awaitListening(m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    for (Member m : members) {
      if (m.process != null) {
        m.process.destroy();
      }
    }
    for (Member m : members) {
      if (m.process != null) {
        try {
          if (!m.process.waitFor(5, TimeUnit.SECONDS)) {
            m.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
          }
        } catch (InterruptedException e) {
          m.process.destroyForcibly();
          Thread.currentThread().interrupt();
        }
      }
    }
    deleteTree(dir);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temp directory left behind is harmless
    }
  }
}
