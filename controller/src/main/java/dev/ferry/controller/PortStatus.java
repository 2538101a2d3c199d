package dev.ferry.controller;

/**
 * Where a port is in the datapath right now, as switches report it.
 *
 * @param host the host it is bound on (or was, when down); null when unbound
 * @param ofPort the OpenFlow port number when bound; null otherwise
 */
public record PortStatus(State state, String host, Integer ofPort) {

  /** unbound: no switch reports its interface; bound: up as OpenFlow port N; down: seen but down. */
  public enum State { UNBOUND, BOUND, DOWN }

  public static final PortStatus UNBOUND = new PortStatus(State.UNBOUND, null, null);

  public static PortStatus bound(String host, int ofPort) {
    return new PortStatus(State.BOUND, host, ofPort);
  }

  public static PortStatus down(String host) {
    return new PortStatus(State.DOWN, host, null);
  }
}
