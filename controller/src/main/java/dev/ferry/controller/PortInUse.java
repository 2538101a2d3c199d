package dev.ferry.controller;

import java.io.IOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A listener that could not bind because its address is taken: says which process holds it
 * (as {@code ss -ltnp} reports, when it may see it) and how to proceed, instead of a stack trace.
 */
public final class PortInUse extends IllegalStateException {
  private static final Pattern PID = Pattern.compile("pid=(\\d+)");

  private PortInUse(String message, Throwable cause) {
    super(message, cause);
  }

  /** True when {@code e} or one of its causes is a bind failure (Netty throws it sneakily, Javalin wraps it). */
  public static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException || String.valueOf(t.getMessage()).contains("already in use")) {
        return true;
      }
    }
    return false;
  }

  /** The failure to bind {@code what} (e.g. "OpenFlow") on {@code address}, set with {@code flag}. */
  public static PortInUse of(String what, HostPort address, String flag, Throwable cause) {
    String holder = holder(address.port()).map(h -> " by " + h).orElse(" by another process (ss -ltnp 'sport = :"
        + address.port() + "' shows which)");
    return new PortInUse("cannot listen for " + what + " on " + address + ": the port is already in use" + holder
        + ". Stop that process (if it is another Ferry, e.g. ./ferry run, stop it with Ctrl-C or kill), or listen "
        + "elsewhere with " + flag + " HOST:PORT", cause);
  }

  /** Whether this address can be bound right now (which of two listeners failed). */
  static boolean free(HostPort address) {
    try (java.net.ServerSocket s = new java.net.ServerSocket()) {
      s.bind(new java.net.InetSocketAddress(address.host(), address.port()));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** "pid 1234 (java ... dev.ferry.controller.Main run)" for the listener on this TCP port, if visible. */
  static Optional<String> holder(int port) {
    try {
      Process p = new ProcessBuilder("ss", "-Hltnp", "sport = :" + port).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      Matcher m = PID.matcher(out);
      if (!m.find()) {
        return Optional.empty();
      }
      long pid = Long.parseLong(m.group(1));
      return Optional.of("pid " + pid + commandLine(pid).map(c -> " (" + c + ")").orElse(""));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static Optional<String> commandLine(long pid) {
    try {
      String raw = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
      String line = raw.replace('\0', ' ').strip().replaceAll(" -cp \\S+", "");
      return line.isEmpty() ? Optional.empty()
          : Optional.of(line.length() > 120 ? line.substring(0, 117) + "..." : line);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
