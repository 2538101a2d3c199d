package dev.ferry.controller.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.ferry.controller.store.Rejection;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The wire format: snake_case JSON, strict on input (unknown fields and wrong types are
 * rejected with the field named, never coerced).
 */
public final class Json {

  public static final ObjectMapper MAPPER = strictMapper();

  private Json() {}

  private static ObjectMapper strictMapper() {
    ObjectMapper m = JsonMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .build();
    // "5" is not a number and 5 is not a string: a client sending either has a bug to hear about.
    m.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    return m;
  }

  /** Parses a request body that must be one JSON object. */
  public static ObjectNode object(String body) {
    if (body == null || body.isBlank()) {
      throw badRequest("malformed_json", null, "the request body must be a JSON object");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw badRequest("malformed_json", null, "malformed JSON: " + e.getOriginalMessage());
    }
    if (!(node instanceof ObjectNode o)) {
      throw badRequest("malformed_json", null, "the request body must be a JSON object");
    }
    return o;
  }

  /** Binds a JSON object to an input record, naming the field at fault on error. */
  public static <T> T bind(ObjectNode node, Class<T> type) {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (UnrecognizedPropertyException e) {
      throw badRequest("unknown_field", path(e), "unknown field '" + path(e) + "'; known fields: "
          + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")));
    } catch (MismatchedInputException e) {
      String field = path(e);
      throw badRequest("wrong_type", field, "field '" + field + "' must be " + expected(e.getTargetType()));
    } catch (JsonMappingException e) {
      String field = path(e);
      throw badRequest("wrong_type", field, "field '" + field + "': " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw badRequest("malformed_json", null, "malformed JSON: " + e.getOriginalMessage());
    }
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (java.util.Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    return "an object";
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining(".")).replace(".[", "[");
  }

  /** RFC 7396 JSON merge patch: members of {@code patch} replace those of {@code target}. */
  public static ObjectNode mergePatch(ObjectNode target, ObjectNode patch) {
    ObjectNode out = target.deepCopy();
    Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode current = out.get(e.getKey());
      if (e.getValue() instanceof ObjectNode p && current instanceof ObjectNode c) {
        out.set(e.getKey(), mergePatch(c, p));
      } else {
        out.set(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  public static ObjectNode tree(Object value) {
    return MAPPER.valueToTree(value);
  }

  static Rejection badRequest(String code, String field, String message) {
    return new Rejection(Rejection.Reason.BAD_REQUEST, code, field, message);
  }
}
