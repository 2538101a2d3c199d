package dev.ferry.controller.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** ovs-vsctl against one database (the system's, or --db unix:PATH), reading rows as JSON. */
public final class Vsctl {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Commands commands;
  private final String db;

  /** @param db an ovsdb remote ("unix:/run/openvswitch/db.sock") or null for ovs-vsctl's default */
  public Vsctl(Commands commands, String db) {
    this.commands = commands;
    this.db = db;
  }

  /** The full command line for these arguments. */
  public List<String> command(List<String> args) {
    List<String> cmd = new ArrayList<>(List.of("ovs-vsctl"));
    if (db != null) {
      cmd.add("--db=" + db);
    }
    cmd.add("--timeout=30");
    cmd.addAll(args);
    return cmd;
  }

  public Commands.Result run(List<String> args) {
    return commands.run(command(args));
  }

  public String check(String... args) {
    return run(List.of(args)).check();
  }

  /** Rows of {@code table} (optionally just {@code record}) as column -> value maps. */
  public List<Map<String, JsonNode>> list(String table, String record, String columns) {
    List<String> args = new ArrayList<>(List.of("--format=json", "--columns=" + columns, "list", table));
    if (record != null) {
      args.add(record);
    }
    Commands.Result r = run(args);
    if (!r.ok()) {
      if (r.err().contains("no row")) {
        return List.of();
      }
      r.check();
    }
    return rows(r.out());
  }

  static List<Map<String, JsonNode>> rows(String json) {
    try {
      JsonNode root = JSON.readTree(json);
      List<String> headings = new ArrayList<>();
      root.path("headings").forEach(h -> headings.add(h.asText()));
      List<Map<String, JsonNode>> rows = new ArrayList<>();
      for (JsonNode row : root.path("data")) {
        Map<String, JsonNode> m = new HashMap<>();
        for (int i = 0; i < headings.size(); i++) {
          m.put(headings.get(i), row.get(i));
        }
        rows.add(m);
      }
      return rows;
    } catch (IOException e) {
      throw new IllegalStateException("ovs-vsctl printed no JSON: " + json, e);
    }
  }

  /** An OVSDB atom or a set of atoms as text ("" for an empty set, comma-joined for several). */
  static String text(JsonNode value) {
    if (value == null || value.isNull()) {
      return "";
    }
    if (value.isArray() && value.size() == 2 && "set".equals(value.get(0).asText())) {
      List<String> items = new ArrayList<>();
      value.get(1).forEach(v -> items.add(text(v)));
      return String.join(",", items);
    }
    if (value.isArray() && value.size() == 2 && "uuid".equals(value.get(0).asText())) {
      return value.get(1).asText();
    }
    return value.asText();
  }

  /** The uuids of a reference column (one uuid or a set of them). */
  static List<String> uuids(JsonNode value) {
    String t = text(value);
    return t.isEmpty() ? List.of() : List.of(t.split(","));
  }

  /** An OVSDB map column. */
  static Map<String, String> map(JsonNode value) {
    Map<String, String> m = new HashMap<>();
    if (value != null && value.isArray() && value.size() == 2 && "map".equals(value.get(0).asText())) {
      value.get(1).forEach(pair -> m.put(pair.get(0).asText(), pair.get(1).asText()));
    }
    return m;
  }
}
