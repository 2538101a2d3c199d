package dev.ferry.controller.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints API answers as an aligned table (default) or as JSON (-o json). */
final class Output {

  enum Format { table, json }

  private Output() {}

  static void print(PrintWriter out, Format format, JsonNode node, List<String> columns) {
    if (format == Format.json) {
      try {
        out.println(CtlClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    } else if (node.isArray()) {
      table(out, node, columns);
    } else if (node.isObject()) {
      keyValues(out, node);
    }
    out.flush();
  }

  private static void table(PrintWriter out, JsonNode rows, List<String> columns) {
    List<String[]> lines = new ArrayList<>();
    lines.add(columns.stream().map(c -> c.toUpperCase().replace('_', ' ')).toArray(String[]::new));
    for (JsonNode row : rows) {
      lines.add(columns.stream().map(c -> cell(row.get(c))).toArray(String[]::new));
    }
    int[] widths = new int[columns.size()];
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    for (String[] line : lines) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < line.length; i++) {
        sb.append(i == line.length - 1 ? line[i] : String.format("%-" + (widths[i] + 2) + "s", line[i]));
      }
      out.println(sb.toString().stripTrailing());
    }
  }

  private static void keyValues(PrintWriter out, JsonNode object) {
    int width = 0;
    for (var it = object.fieldNames(); it.hasNext(); ) {
      width = Math.max(width, it.next().length());
    }
    for (var it = object.fields(); it.hasNext(); ) {
      var e = it.next();
      out.println(String.format("%-" + (width + 2) + "s%s", e.getKey() + ":", cell(e.getValue())));
    }
  }

  /** One value as table text: scalars plain, objects as k=v pairs, arrays comma-joined. */
  static String cell(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return "-";
    }
    if (v.isArray()) {
      List<String> parts = new ArrayList<>();
      v.forEach(x -> parts.add(cell(x)));
      return parts.isEmpty() ? "-" : String.join(",", parts);
    }
    if (v.isObject()) {
      List<String> parts = new ArrayList<>();
      v.fields().forEachRemaining(e -> {
        if (!e.getValue().isNull()) {
          parts.add(e.getKey() + "=" + cell(e.getValue()));
        }
      });
      return String.join(" ", parts);
    }
    return v.asText();
  }
}
