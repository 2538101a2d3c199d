package dev.ferry.controller.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** A request body built from the options that were given; "none" clears a clearable field. */
final class Fields {

  static final String NONE = "none";
  private final Map<String, Object> map = new LinkedHashMap<>();

  Fields put(String key, Object value) {
    if (value != null) {
      map.put(key, value);
    }
    return this;
  }

  /** For references that may be unset: the word "none" sends JSON null. */
  Fields clearable(String key, String value) {
    if (value != null) {
      map.put(key, NONE.equals(value) ? null : value);
    }
    return this;
  }

  Map<String, Object> map() {
    return map;
  }
}
