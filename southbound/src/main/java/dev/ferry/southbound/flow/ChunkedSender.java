package dev.ferry.southbound.flow;

import com.google.common.collect.Lists;
import dev.ferry.southbound.SwitchHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.projectfloodlight.openflow.protocol.OFMessage;

/**
 * Streams many messages as barrier-closed chunks with a bounded number of chunks in flight:
 * no barrier per message, and no more than {@code window * chunkSize} messages queued.
 */
final class ChunkedSender {
  private final int chunkSize;
  private final int window;

  ChunkedSender(int chunkSize, int window) {
    if (chunkSize < 1 || window < 1) {
      throw new IllegalArgumentException("chunkSize and window must be positive");
    }
    this.chunkSize = chunkSize;
    this.window = window;
  }

  /** Completes when every chunk's barrier returned; fails with every chunk failure collected. */
  CompletableFuture<Void> send(SwitchHandle sw, List<OFMessage> messages) {
    if (messages.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return new Run(sw, Lists.partition(messages, chunkSize)).start();
  }

  private final class Run {
    private final SwitchHandle sw;
    private final List<List<OFMessage>> chunks;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger remaining;
    private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    Run(SwitchHandle sw, List<List<OFMessage>> chunks) {
      this.sw = sw;
      this.chunks = chunks;
      this.remaining = new AtomicInteger(chunks.size());
    }

    CompletableFuture<Void> start() {
      for (int i = 0; i < Math.min(window, chunks.size()); i++) {
        sendNext();
      }
      return done;
    }

    private void sendNext() {
      int index = next.getAndIncrement();
      if (index >= chunks.size()) {
        return;
      }
      sw.sendWithBarrier(chunks.get(index)).whenComplete((ok, failure) -> {
        if (failure != null) {
          failures.add(unwrap(failure));
        }
        if (remaining.decrementAndGet() == 0) {
          finish();
        } else {
          sendNext();
        }
      });
    }

    private void finish() {
      if (failures.isEmpty()) {
        done.complete(null);
        return;
      }
      Throwable first = failures.get(0);
      failures.stream().skip(1).forEach(first::addSuppressed);
      done.completeExceptionally(first);
    }
  }

  static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
  }
}
