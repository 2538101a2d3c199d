package dev.ferry.tests.southbound;

import dev.ferry.southbound.SwitchHandle;
import dev.ferry.southbound.SwitchListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortReason;

/** Records every switch event with the time it arrived, and waits for one. */
final class SwitchEvents implements SwitchListener {
  enum Kind { READY, DISCONNECTED, PORT }

  record Event(Kind kind, long dpid, long nanos, SwitchHandle sw, String portName, OFPortReason reason) {}

  private final List<Event> events = new CopyOnWriteArrayList<>();

  @Override
  public void switchReady(SwitchHandle sw) {
    add(new Event(Kind.READY, sw.datapathId(), System.nanoTime(), sw, null, null));
  }

  @Override
  public void switchDisconnected(SwitchHandle sw) {
    add(new Event(Kind.DISCONNECTED, sw.datapathId(), System.nanoTime(), sw, null, null));
  }

  @Override
  public void portChanged(SwitchHandle sw, OFPortDesc port, OFPortReason reason) {
    add(new Event(Kind.PORT, sw.datapathId(), System.nanoTime(), sw, port.getName(), reason));
  }

  private synchronized void add(Event event) {
    events.add(event);
    notifyAll();
  }

  List<Event> all() {
    return List.copyOf(events);
  }

  List<Event> of(Kind kind, long dpid) {
    return events.stream().filter(e -> e.kind() == kind && e.dpid() == dpid).toList();
  }

  /** The first event at index {@code from} or later that matches; fails after {@code timeout}. */
  synchronized Event await(int from, Predicate<Event> wanted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (int i = from; i < events.size(); i++) {
        if (wanted.test(events.get(i))) {
          return events.get(i);
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no such switch event within " + timeout + "; saw " + events);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  Event awaitReady(long dpid, int from, Duration timeout) throws InterruptedException {
    return await(from, e -> e.kind() == Kind.READY && e.dpid() == dpid, timeout);
  }

  int size() {
    return events.size();
  }
}
