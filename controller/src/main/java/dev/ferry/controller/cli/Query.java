package dev.ferry.controller.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/** A query string from name/value pairs, skipping nulls. */
final class Query {

  private Query() {}

  static String of(String... kv) {
    StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
    for (int i = 0; i < kv.length; i += 2) {
      if (kv[i + 1] != null) {
        q.add(kv[i] + "=" + URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
      }
    }
    return q.toString();
  }
}
