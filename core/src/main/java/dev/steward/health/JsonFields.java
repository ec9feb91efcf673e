package dev.steward.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.steward.internal.json.StrictJson;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The reading and writing primitives of the health JSON formats: strict parsing, the format check,
 * allowed fields, typed fields whose errors name where they are, and pretty printing.
 */
final class JsonFields {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectWriter WRITER = new ObjectMapper().writerWithDefaultPrettyPrinter();

  private JsonFields() {}

  static String pretty(JsonNode root) {
    try {
      return WRITER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  static JsonNode parse(String json, String what) {
    if (json == null) {
      throw new InvalidScorecardException(what + " JSON must not be null");
    }
    JsonNode root = StrictJson.read(json, what, InvalidScorecardException::new);
    if (root == null || !root.isObject()) {
      throw new InvalidScorecardException(what + " JSON must be an object");
    }
    return root;
  }

  static void checkFormat(JsonNode root, String what) {
    JsonNode f = root.get("format");
    if (f == null) {
      return;
    }
    if (!f.isIntegralNumber() || f.asInt() != Scorecard.JSON_FORMAT) {
      throw new InvalidScorecardException(
          what
              + " JSON format "
              + f
              + " is not supported; this version reads "
              + Scorecard.JSON_FORMAT);
    }
  }

  static void checkFields(String where, JsonNode n, Set<String> allowed) {
    if (!n.isObject()) {
      throw new InvalidScorecardException(where + ": must be an object");
    }
    Iterator<String> names = n.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new InvalidScorecardException(
            where + ": unknown field '" + name + "'; allowed: " + new java.util.TreeSet<>(allowed));
      }
    }
  }

  static String text(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new InvalidScorecardException(where + ": '" + field + "' must be a string");
    }
    return v.asText();
  }

  static double number(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.isNumber()) {
      throw new InvalidScorecardException(where + ": '" + field + "' must be a number");
    }
    return v.asDouble();
  }

  static int integer(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new InvalidScorecardException(where + ": '" + field + "' must be an integer");
    }
    return v.asInt();
  }

  static List<Double> numbers(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.isArray()) {
      throw new InvalidScorecardException(where + ": '" + field + "' must be an array of numbers");
    }
    List<Double> out = new ArrayList<>();
    for (JsonNode x : v) {
      if (!x.isNumber()) {
        throw new InvalidScorecardException(where + ": '" + field + "' must hold numbers only");
      }
      out.add(x.asDouble());
    }
    return out;
  }

  static Duration duration(JsonNode n, String field, String where) {
    String s = text(n, field, where);
    try {
      return Duration.parse(s);
    } catch (DateTimeParseException e) {
      throw new InvalidScorecardException(
          where + ": '" + field + "' value '" + s + "' is not an ISO-8601 duration such as P14D",
          e);
    }
  }
}
