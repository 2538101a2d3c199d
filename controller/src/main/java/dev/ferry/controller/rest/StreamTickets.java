package dev.ferry.controller.rest;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * One-time tickets for the event stream. A browser's EventSource cannot send an Authorization
 * header, and a bearer token in a URL ends up in logs and history; so the page asks for a
 * ticket with its token (POST /v1/events/tickets) and opens /v1/events?ticket=...: the ticket
 * names the same principal, is good for one stream, and only for {@link #TTL}. Guarded by this
 * object's monitor.
 */
public final class StreamTickets {
  public static final Duration TTL = Duration.ofSeconds(30);
  private static final int MAX_OUTSTANDING = 10_000;

  private record Ticket(Principal principal, long expiresNanos) {}

  private final SecureRandom random = new SecureRandom();
  private final Map<String, Ticket> outstanding = new HashMap<>();

  public synchronized String issue(Principal p) {
    long now = System.nanoTime();
    for (Iterator<Ticket> i = outstanding.values().iterator(); i.hasNext(); ) {
      if (i.next().expiresNanos() - now < 0) {
        i.remove();
      }
    }
    if (outstanding.size() >= MAX_OUTSTANDING) {
      throw new dev.ferry.controller.store.Rejection(dev.ferry.controller.store.Rejection.Reason.CONFLICT,
          "too_many_tickets", null, "too many unused event tickets; open the streams first");
    }
    byte[] b = new byte[24];
    random.nextBytes(b);
    String ticket = HexFormat.of().formatHex(b);
    outstanding.put(ticket, new Ticket(p, now + TTL.toNanos()));
    return ticket;
  }

  /** The ticket's principal, once: a used, unknown or expired ticket is empty. */
  public synchronized Optional<Principal> redeem(String ticket) {
    Ticket t = outstanding.remove(ticket);
    return t == null || t.expiresNanos() - System.nanoTime() < 0 ? Optional.empty()
        : Optional.of(t.principal());
  }
}
