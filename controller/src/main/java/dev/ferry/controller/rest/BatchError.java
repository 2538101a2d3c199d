package dev.ferry.controller.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The body of a refused batch: every refused item by its index, as its own error would read. */
public record BatchError(String error, String message, List<Item> errors) {

  /** One refused item. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Item(int index, String error, String field, String message) {}
}
