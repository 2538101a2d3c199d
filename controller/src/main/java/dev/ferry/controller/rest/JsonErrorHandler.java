package dev.ferry.controller.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own refusals (a request it will not hand to Javalin: a bad URI such as {@code %00},
 * an ambiguous {@code ..} or {@code %2F}, a malformed request line or header) in Ferry's JSON
 * error shape instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

  @Override
  protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
      HttpServletResponse response, int code, String message) throws IOException {
    baseRequest.setHandled(true);
    response.setContentType("application/json");
    response.setCharacterEncoding("utf-8");
    response.getOutputStream().write(body(code, message));
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    return ByteBuffer.wrap(body(status, reason));
  }

  static String code(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "too_large";
      case 414 -> "uri_too_long";
      case 431 -> "headers_too_large";
      default -> status >= 500 ? "internal" : "bad_request";
    };
  }

  private static byte[] body(int status, String reason) {
    String message = "the request was refused before routing (HTTP " + status
        + (reason == null || reason.isBlank() ? "" : ": " + reason) + ")";
    try {
      return Json.MAPPER.writeValueAsBytes(new ApiError(code(status), message, null));
    } catch (JsonProcessingException e) {
      return ("{\"error\":\"" + code(status) + "\"}").getBytes(StandardCharsets.US_ASCII);
    }
  }
}
