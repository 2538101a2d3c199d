package dev.ferry.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * ferryctl's view of the REST API: one call per request; errors become exceptions. Public so
 * that the lab's tests and demo drive Ferry exactly the way the CLI does.
 */
public final class CtlClient {

  static final ObjectMapper JSON = new ObjectMapper();

  /** The API answered with an error status. */
  public static final class ApiFailure extends RuntimeException {
    public final int status;
    public final JsonNode body;

    ApiFailure(int status, JsonNode body) {
      super(body.path("message").asText("HTTP " + status));
      this.status = status;
      this.body = body;
    }
  }

  /** The API could not be reached at all. */
  public static final class Unreachable extends RuntimeException {
    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final String base;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Throws IllegalArgumentException (a usage error) unless {@code base} is an http(s) URL. */
  public CtlClient(String base, String token) {
    this.base = checkedUrl(base).replaceAll("/+$", "");
    this.token = token;
  }

  static String checkedUrl(String base) {
    if (!base.matches("(?i)https?://.+")) {
      throw new IllegalArgumentException("bad URL '" + base + "': give the scheme, e.g. "
          + (base.contains("://") ? "http://127.0.0.1:8080" : "http://" + base));
    }
    try {
      if (URI.create(base).getHost() == null) {
        throw new IllegalArgumentException("no host");
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad URL '" + base + "': " + e.getMessage());
    }
    return base;
  }

  public JsonNode call(String method, String path, Map<String, Object> body, String ifMatch) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
          .header("Accept", "application/json");
      if (body != null) {
        b.header("Content-Type", "application/json");
      }
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      if (ifMatch != null) {
        b.header("If-Match", "\"" + ifMatch + "\"");
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode node = r.body().isBlank() ? MissingNode.getInstance() : parse(r.body());
      if (r.statusCode() >= 400) {
        throw new ApiFailure(r.statusCode(), node);
      }
      return node;
    } catch (IOException e) {
      throw new Unreachable("cannot reach Ferry at " + base + " (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage())
          + "); is the controller running? Set --url, FERRY_URL or url= in the config file", e);
    } catch (IllegalArgumentException e) {
      throw new Unreachable("bad URL '" + base + "': " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreachable("interrupted", e);
    }
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      return JSON.createObjectNode().put("message", text);
    }
  }
}
