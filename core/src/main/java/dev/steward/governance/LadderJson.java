package dev.steward.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.internal.json.StrictJson;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and writes a {@link Ladder} as JSON (the format {@link Ladder#toJson} writes), reading
 * strictly, so that a typo such as {@code "spam-rat"} or {@code "expiryDay"} cannot silently leave
 * a rung out.
 */
final class LadderJson {
  private static final Set<String> FIELDS =
      Set.of(
          "minimumDelivered",
          "stepDownAfterDays",
          "inactiveAfterDays",
          "repeatOffence",
          "restrictCapFactor",
          "quarantinePool",
          "rungs");
  private static final Set<String> REPEAT_FIELDS = Set.of("level", "count", "withinDays");
  private static final Set<String> RUNG_FIELDS = Set.of("expiryDays", "thresholds");

  private LadderJson() {}

  /** The ladder in {@code json}; see {@link Ladder#fromJson}. */
  static Ladder read(String json) {
    if (json == null) {
      throw new InvalidLadderException("ladder JSON must not be null");
    }
    JsonNode root = StrictJson.read(json, "ladder", (m, c) -> new InvalidLadderException(m));
    if (!root.isObject()) {
      throw new InvalidLadderException("ladder JSON must be an object");
    }
    unknownFields(root, FIELDS, "");
    Ladder.Builder b = Ladder.builder();
    if (root.has("minimumDelivered")) {
      b.minimumDelivered(integer(root.get("minimumDelivered"), "minimumDelivered"));
    }
    if (root.has("stepDownAfterDays")) {
      b.stepDownAfter(Duration.ofDays(integer(root.get("stepDownAfterDays"), "stepDownAfterDays")));
    }
    if (root.has("inactiveAfterDays")) {
      b.inactiveAfter(Duration.ofDays(integer(root.get("inactiveAfterDays"), "inactiveAfterDays")));
    }
    if (root.has("restrictCapFactor")) {
      b.restrictCapFactor(number(root.get("restrictCapFactor"), "restrictCapFactor"));
    }
    if (root.has("quarantinePool")) {
      JsonNode p = root.get("quarantinePool");
      if (!p.isTextual()) {
        throw new InvalidLadderException("ladder JSON: quarantinePool must be a string");
      }
      b.quarantinePool(p.asText());
    }
    if (root.has("repeatOffence")) {
      JsonNode r = root.get("repeatOffence");
      if (!r.isObject()) {
        throw new InvalidLadderException("ladder JSON: repeatOffence must be an object");
      }
      unknownFields(r, REPEAT_FIELDS, "repeatOffence.");
      b.repeatOffence(
          Level.parse(text(r.get("level"), "repeatOffence.level")),
          (int) integer(r.get("count"), "repeatOffence.count"),
          Duration.ofDays(integer(r.get("withinDays"), "repeatOffence.withinDays")));
    }
    JsonNode rungs = root.get("rungs");
    if (rungs != null) {
      if (!rungs.isObject()) {
        throw new InvalidLadderException("ladder JSON: rungs must be an object keyed by level");
      }
      for (Map.Entry<String, JsonNode> e : rungs.properties()) {
        String path = "rungs." + e.getKey();
        Level level;
        try {
          level = Level.parse(e.getKey());
        } catch (InvalidLadderException x) {
          throw new InvalidLadderException("ladder JSON at " + path + ": " + x.getMessage());
        }
        JsonNode r = e.getValue();
        if (!r.isObject()) {
          throw new InvalidLadderException("ladder JSON: " + path + " must be an object");
        }
        unknownFields(r, RUNG_FIELDS, path + ".");
        if (r.has("expiryDays")) {
          b.expiry(level, Duration.ofDays(integer(r.get("expiryDays"), path + ".expiryDays")));
        }
        JsonNode t = r.get("thresholds");
        if (t == null || !t.isObject()) {
          throw new InvalidLadderException(
              "ladder JSON: " + path + ".thresholds must be an object of metric: rate");
        }
        for (Map.Entry<String, JsonNode> m : t.properties()) {
          String mp = path + ".thresholds." + m.getKey();
          GovernanceMetric metric;
          try {
            metric = GovernanceMetric.parse(m.getKey());
          } catch (InvalidLadderException x) {
            throw new InvalidLadderException("ladder JSON at " + mp + ": " + x.getMessage());
          }
          b.threshold(level, metric, number(m.getValue(), mp));
        }
        b.declareRung(level);
      }
    }
    return b.build();
  }

  /** {@code ladder} as JSON, read back equal by {@link #read}. */
  static String write(Ladder ladder) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode n = f.objectNode();
    n.put("minimumDelivered", ladder.minimumDelivered());
    n.put("stepDownAfterDays", ladder.stepDownAfter().toDays());
    n.put("inactiveAfterDays", ladder.inactiveAfter().toDays());
    ObjectNode r = n.putObject("repeatOffence");
    r.put("level", ladder.repeatLevel().jsonName());
    r.put("count", ladder.repeatCount());
    r.put("withinDays", ladder.repeatWithin().toDays());
    n.put("restrictCapFactor", ladder.restrictCapFactor());
    n.put("quarantinePool", ladder.quarantinePool());
    ObjectNode rs = n.putObject("rungs");
    for (Rung rung : ladder.rungs().values()) {
      ObjectNode o = rs.putObject(rung.level().jsonName());
      o.put("expiryDays", rung.expiry().toDays());
      ObjectNode t = o.putObject("thresholds");
      rung.thresholds().forEach((m, v) -> t.put(m.jsonName(), v));
    }
    return n.toString();
  }

  private static void unknownFields(JsonNode n, Set<String> known, String prefix) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        throw new InvalidLadderException(
            "ladder JSON has an unknown field '"
                + prefix
                + name
                + "'; known: "
                + new TreeSet<>(known));
      }
    }
  }

  private static long integer(JsonNode n, String path) {
    if (n == null || !n.canConvertToLong() || !n.isIntegralNumber()) {
      throw new InvalidLadderException("ladder JSON: " + path + " must be a whole number");
    }
    return n.asLong();
  }

  private static double number(JsonNode n, String path) {
    if (n == null || !n.isNumber()) {
      throw new InvalidLadderException("ladder JSON: " + path + " must be a number");
    }
    return n.asDouble();
  }

  private static String text(JsonNode n, String path) {
    if (n == null || !n.isTextual()) {
      throw new InvalidLadderException("ladder JSON: " + path + " must be a string");
    }
    return n.asText();
  }
}
