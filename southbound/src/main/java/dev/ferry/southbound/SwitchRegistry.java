package dev.ferry.southbound;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Ready switches by datapath id. At most one handle per datapath id: the newest wins. */
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

  /** Registers a ready switch and returns the handle it replaced, if any. */
  public Optional<SwitchHandle> put(SwitchHandle handle) {
    return Optional.ofNullable(byDpid.put(handle.datapathId(), handle));
  }

  /** Removes the handle only if it is still the registered one (a replacement stays). */
  public boolean remove(SwitchHandle handle) {
    return byDpid.remove(handle.datapathId(), handle);
  }
}
