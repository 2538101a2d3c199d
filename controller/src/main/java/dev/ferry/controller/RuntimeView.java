package dev.ferry.controller;

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
    public boolean hostConnected(String host) {
      return false;
    }

    @Override
    public PortStatus portStatus(Port port) {
      return PortStatus.UNBOUND;
    }
  };

  boolean hostConnected(String host);

  PortStatus portStatus(Port port);
}
