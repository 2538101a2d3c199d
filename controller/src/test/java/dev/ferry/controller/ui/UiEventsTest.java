package dev.ferry.controller.ui;

import static dev.ferry.controller.testing.Api.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.controller.testing.Api;
import dev.ferry.controller.testing.FerryTestBase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** GET /v1/events: opened by a one-time ticket, and scoped to what the caller may see. */
class UiEventsTest extends FerryTestBase {
  final HttpClient http = HttpClient.newHttpClient();

  /** One open stream: every line it sent, as it arrives. */
  final class Stream1 implements AutoCloseable {
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final StringBuilder all = new StringBuilder();
    final CompletableFuture<HttpResponse<Stream<String>>> response;

    Stream1(String ticket) {
      // as EventSource asks (Javalin answers a stream only to this Accept)
      response = http.sendAsync(HttpRequest.newBuilder(URI.create(admin.base() + "/v1/events?ticket=" + ticket))
          .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
      response.thenAccept(r -> new Thread(() -> r.body().forEach(l -> {
        synchronized (all) {
          all.append(l).append('\n');
        }
        lines.add(l);
      })).start());
    }

    /** The next event's name (skipping data, id and comment lines); fails after 10 s. */
    String nextEvent() throws InterruptedException {
      while (true) {
        String l = lines.poll(10, TimeUnit.SECONDS);
        assertNotNull(l, "no event within 10 s; stream so far: " + text());
        if (l.startsWith("event: ")) {
          return l.substring("event: ".length());
        }
      }
    }

    String text() {
      synchronized (all) {
        return all.toString();
      }
    }

    @Override
    public void close() {
      response.cancel(true);
    }
  }

  String ticket(Api api) {
    Api.Response r = api.post("/v1/events/tickets", obj());
    assertEquals(201, r.status(), r.toString());
    return r.text("ticket");
  }

  @Test
  void aTicketOpensOneStreamOnceAndNothingElse() throws Exception {
    String t = ticket(admin);
    try (Stream1 s = new Stream1(t)) {
      assertEquals(200, s.response.get(10, TimeUnit.SECONDS).statusCode());
      assertEquals("ready", s.nextEvent());
    }
    HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(admin.base()
        + "/v1/events?ticket=" + t)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, again.statusCode(), "a used ticket");
    assertTrue(again.body().contains("\"field\":\"ticket\""), again.body());
    HttpResponse<String> elsewhere = http.send(HttpRequest.newBuilder(URI.create(admin.base()
        + "/v1/ports?ticket=" + ticket(admin))).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, elsewhere.statusCode(), "a ticket opens the event stream only");
    assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(admin.base() + "/v1/events")).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode());
  }

  @Test
  void aTenantsStreamNeverTellsOfAnotherTenantsObjects() throws Exception {
    createTenant("a");
    createTenant("b");
    String netA = createNetwork("a", "10.1.1.0/24");
    String netB = createNetwork("b", "10.1.1.0/24");
    Api a = admin.withToken(created(admin.post("/v1/tenants/a/tokens", obj())).text("token"));
    try (Stream1 adminStream = new Stream1(ticket(admin)); Stream1 aStream = new Stream1(ticket(a))) {
      assertEquals("ready", adminStream.nextEvent());
      assertEquals("ready", aStream.nextEvent());
      // b's port: the admin hears of it, a does not
      String b1 = created(createPort(netB, "name", "b-secret")).text("id");
      assertEquals("changed", adminStream.nextEvent());
      // a's port: a hears of it; had b's change reached a, this would be a's second event
      String a1 = created(createPort(netA, "name", "a1")).text("id");
      assertEquals("changed", aStream.nextEvent());
      assertEquals("changed", adminStream.nextEvent());
      a.delete("/v1/ports/" + a1);
      assertEquals("changed", aStream.nextEvent());
      String seen = aStream.text();
      assertEquals(3, seen.lines().filter(l -> l.startsWith("event: ")).count(), seen);
      for (String secret : List.of(b1, "b-secret", netB, "\"b\"")) {
        assertFalse(seen.contains(secret), "a's stream mentions " + secret + ": " + seen);
      }
    }
  }
}
