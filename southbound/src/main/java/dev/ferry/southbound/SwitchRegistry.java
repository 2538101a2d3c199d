package dev.ferry.southbound;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * Ready switches by datapath id, at most one handle each. The first live connection keeps its
 * dpid: a newcomer claiming it is refused (anyone reaching the OpenFlow port could otherwise
 * take a host's flows by claiming its dpid); it may take over once the holder is gone (closed,
 * or closed by the keepalive after its echo timeout).
 */
public final class SwitchRegistry {
  private final ConcurrentMap<Long, SwitchHandle> byDpid = new ConcurrentHashMap<>();

  public Optional<SwitchHandle> get(long dpid) {
    return Optional.ofNullable(byDpid.get(dpid));
  }

  public Collection<SwitchHandle> all() {
    return List.copyOf(byDpid.values());
  }

  public int size() {
    return byDpid.size();
  }

  /**
   * Registers a ready switch unless a connected handle holds its dpid; then nothing changes and
   * that holder is returned. A holder that is no longer connected is replaced and handed to
   * {@code replacedDead} (after the registry changed).
   */
  public Optional<SwitchHandle> claim(SwitchHandle handle, Consumer<SwitchHandle> replacedDead) {
    SwitchHandle[] replaced = new SwitchHandle[1];
    SwitchHandle holder = byDpid.compute(handle.datapathId(), (dpid, old) -> {
      if (old != null && old != handle && old.isConnected()) {
        return old;
      }
      replaced[0] = old == handle ? null : old;
      return handle;
    });
    if (holder != handle) {
      return Optional.of(holder);
    }
    if (replaced[0] != null) {
      replacedDead.accept(replaced[0]);
    }
    return Optional.empty();
  }

  /** Removes the handle only if it is still the registered one (a replacement stays). */
  public boolean remove(SwitchHandle handle) {
    return byDpid.remove(handle.datapathId(), handle);
  }
}
