package dev.ferry.controller;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The data directory, held by one Ferry at a time: mode 0700 (it holds the store and the
 * tokens), and an exclusive lock on {@code ferry.lock} (which records the holder's PID) for as
 * long as this Ferry runs. Two Ferrys on one store would be two writers: the second refuses to
 * start. The OS drops the lock when the process dies, however it dies.
 */
final class DataDirectory implements AutoCloseable {

  private static final Logger LOG = LogManager.getLogger(DataDirectory.class);
  static final String LOCK_FILE = "ferry.lock";
  static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectory(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Creates (0700) or tightens the directory and takes its lock, or fails naming the holder. */
  static DataDirectory acquire(Path dir) {
    try {
      if (Files.notExists(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
      }
      if (!Files.getPosixFilePermissions(dir).equals(OWNER_ONLY_DIR)) {
        LOG.info("data directory {} was {}; now 0700", dir.toAbsolutePath(),
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
      }
      Path file = dir.resolve(LOCK_FILE);
      FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException sameProcess) {
        lock = null;
      }
      if (lock == null) {
        String holder = holderOf(channel);
        channel.close();
        throw new IllegalStateException("data directory " + dir.toAbsolutePath() + " is in use by another Ferry"
            + (holder.isEmpty() ? "" : " (pid " + holder + ")") + "; stop it first, or use another --data-dir");
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      channel.force(true);
      return new DataDirectory(channel, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare data directory " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }

  private static String holderOf(FileChannel channel) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(32);
    channel.read(b, 0);
    return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      LOG.warn("releasing the data directory lock: {}", e.getMessage());
    }
  }
}
