package dev.ferry.tests.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The controller's CPU time and resident memory from /proc: utime+stime (fields 14 and 15
 * of /proc/PID/stat, in clock ticks) and VmRSS of /proc/PID/status.
 */
public final class ProcessSampler {
  /** USER_HZ; 100 on every Linux build this runs on (getconf CLK_TCK). */
  static final long TICKS_PER_SECOND = 100;
  private final long pid;

  public ProcessSampler(long pid) {
    this.pid = pid;
  }

  public long pid() { return pid; }

  /** CPU time used so far, in nanoseconds. */
  public long cpuNanos() {
    String stat = read("stat");
    // The command name (field 2) may hold spaces; fields are counted after its closing paren.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return ticks * (1_000_000_000L / TICKS_PER_SECOND);
  }

  /** Resident set size in KiB. */
  public long rssKib() {
    for (String line : read("status").split("\n")) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/" + pid + "/status");
  }

  private String read(String file) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), file));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/" + pid + "/" + file
          + " (has the controller exited?)", e);
    }
  }
}
