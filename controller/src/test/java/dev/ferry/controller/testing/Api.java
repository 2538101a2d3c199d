package dev.ferry.controller.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A tiny REST client for tests: real HTTP, JSON bodies, one bearer token. */
public final class Api {

  public static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;
  private final String token;

  public Api(String base, String token) {
    this.base = base;
    this.token = token;
  }

  public Api withToken(String other) {
    return new Api(base, other);
  }

  public String token() {
    return token;
  }

  public String base() {
    return base;
  }

  /** A response: status, parsed body (MissingNode when empty) and headers. */
  public record Response(int status, JsonNode body, java.net.http.HttpHeaders headers) {
    public String text(String field) {
      return body.path(field).asText(null);
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  /** A JSON object from alternating keys and values (nulls allowed). */
  public static Map<String, Object> obj(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  public Response get(String path) {
    return send("GET", path, null, null);
  }

  public Response post(String path, Object body) {
    return send("POST", path, toJson(body), null);
  }

  public Response put(String path, Object body) {
    return send("PUT", path, toJson(body), null);
  }

  public Response put(String path, Object body, String ifMatch) {
    return send("PUT", path, toJson(body), ifMatch);
  }

  public Response patch(String path, Object body) {
    return send("PATCH", path, toJson(body), null);
  }

  public Response patch(String path, Object body, String ifMatch) {
    return send("PATCH", path, toJson(body), ifMatch);
  }

  public Response delete(String path) {
    return send("DELETE", path, null, null);
  }

  public Response delete(String path, String ifMatch) {
    return send("DELETE", path, null, ifMatch);
  }

  /** Sends a raw body (for malformed-JSON tests). */
  public Response raw(String method, String path, String body) {
    return send(method, path, body, null);
  }

  private static String toJson(Object body) {
    if (body instanceof String s) {
      return s;
    }
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Response send(String method, String path, String body, String ifMatch) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (ifMatch != null) {
      b.header("If-Match", ifMatch);
    }
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode node = r.body().isEmpty() ? MissingNode.getInstance() : JSON.readTree(r.body());
      return new Response(r.statusCode(), node, r.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
