package dev.ferry.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
      Response r = "PATCH".equals(method) ? sendWithHttpClient(method, path, body, ifMatch)
          : send(method, path, body, ifMatch);
      JsonNode node = r.body().isBlank() ? MissingNode.getInstance() : parse(r.body());
      if (r.status() >= 400) {
        throw new ApiFailure(r.status(), node);
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

  private record Response(int status, String body) {}

  /**
   * HttpURLConnection: a tenth of java.net.http's start-up cost in a fresh JVM (measured 80-140
   * ms against 700-1500 ms on a loaded 2-core machine), which matters to the CNI plugin exec'd
   * per pod and to every ferryctl run. It cannot send PATCH, which goes through HttpClient.
   */
  private Response send(String method, String path, Map<String, Object> body, String ifMatch) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(base + path).toURL().openConnection();
    try {
      c.setConnectTimeout(5_000);
      c.setReadTimeout(60_000);
      c.setInstanceFollowRedirects(false);
      c.setRequestMethod(method);
      c.setRequestProperty("Accept", "application/json");
      if (token != null) {
        c.setRequestProperty("Authorization", "Bearer " + token);
      }
      if (ifMatch != null) {
        c.setRequestProperty("If-Match", "\"" + ifMatch + "\"");
      }
      if (body != null) {
        c.setRequestProperty("Content-Type", "application/json");
        c.setDoOutput(true);
        try (OutputStream o = c.getOutputStream()) {
          o.write(JSON.writeValueAsBytes(body));
        }
      }
      int status = c.getResponseCode();
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new Response(status, text);
    } finally {
      c.disconnect();
    }
  }

  private Response sendWithHttpClient(String method, String path, Map<String, Object> body, String ifMatch)
      throws IOException, InterruptedException {
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
    HttpResponse<String> r = PatchClient.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body());
  }

  /** Created on the first PATCH only: java.net.http is costly to start. */
  private static final class PatchClient {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      return JSON.createObjectNode().put("message", text);
    }
  }
}
