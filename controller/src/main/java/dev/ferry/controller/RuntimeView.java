package dev.ferry.controller;

import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Port;

/**
 * What the switches say right now, for the REST read-only fields (a host's connected, a
 * port's status). Implementations must be thread-safe and fast: they are called per object
 * while listing.
 */
public interface RuntimeView {

  /** Nothing connected, nothing bound: the view before any switch has spoken. */
  RuntimeView NONE = new RuntimeView() {
    @Override
    public boolean hostConnected(Host host) {
      return false;
    }

    @Override
    public PortStatus portStatus(Port port) {
      return PortStatus.UNBOUND;
    }
  };

  /**
   * Whether the switch with this host's datapath id is connected. Takes the host itself, not its
   * name: right after POST /v1/hosts the engine's model may not have the host yet.
   */
  boolean hostConnected(Host host);

  PortStatus portStatus(Port port);
}
