package dev.ferry.controller.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs host commands (ip, ovs-vsctl, ethtool): the only I/O edge of host-setup and attach. */
public interface Commands {

  /** What a command printed and how it ended. */
  record Result(List<String> command, int exitCode, String out, String err) {
    public boolean ok() {
      return exitCode == 0;
    }

    public String check() {
      if (!ok()) {
        throw new IllegalStateException(String.join(" ", command) + " failed (exit " + exitCode + "): "
            + err.strip());
      }
      return out;
    }
  }

  Result run(List<String> command);

  /** The real thing: a child process, 60 s at most. */
  Commands SYSTEM = command -> {
    try {
      Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
      var out = p.getInputStream();
      var err = p.getErrorStream();
      var errText = new java.util.concurrent.CompletableFuture<String>();
      Thread errReader = new Thread(() -> {
        try {
          errText.complete(new String(err.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
          errText.complete("");
        }
      });
      errReader.start();
      String outText = new String(out.readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(command, -1, outText, "timed out");
      }
      return new Result(command, p.exitValue(), outText, errText.join());
    } catch (IOException e) {
      return new Result(command, 127, "", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    }
  };
}
