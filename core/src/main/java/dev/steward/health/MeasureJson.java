package dev.steward.health;

import static dev.steward.health.JsonFields.NODES;
import static dev.steward.health.JsonFields.checkFields;
import static dev.steward.health.JsonFields.duration;
import static dev.steward.health.JsonFields.number;
import static dev.steward.health.JsonFields.numbers;
import static dev.steward.health.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Set;

/** Measures and their mappings as JSON, within a scorecard (see {@link Scorecard#toJson()}). */
final class MeasureJson {
  private static final Set<String> MEASURE_FIELDS =
      Set.of("measure", "builtin", "weight", "mapping", "maxAge", "halfLife", "description");

  private MeasureJson() {}

  static void writeMeasure(ObjectNode n, Measure m) {
    n.put("measure", m.id());
    n.put("weight", m.weight());
    n.set("mapping", writeMapping(m.mapping()));
    if (m.maxAge() != null) {
      n.put("maxAge", m.maxAge().toString());
    }
    if (m.halfLife() != null) {
      n.put("halfLife", m.halfLife().toString());
    }
    if (!m.description().isEmpty()) {
      n.put("description", m.description());
    }
  }

  static ObjectNode writeMapping(Mapping mapping) {
    ObjectNode n = NODES.objectNode();
    if (mapping instanceof Mapping.Linear l) {
      n.put("type", "linear").put("poor", l.poor()).put("good", l.good());
      n.put("floor", l.floor()).put("ceiling", l.ceiling());
    } else if (mapping instanceof Mapping.Logarithmic l) {
      n.put("type", "logarithmic").put("poor", l.poor()).put("good", l.good());
    } else if (mapping instanceof Mapping.Thresholds t) {
      n.put("type", "thresholds");
      ArrayNode cuts = n.putArray("cuts");
      t.cuts().forEach(cuts::add);
      ArrayNode scores = n.putArray("scores");
      t.scores().forEach(scores::add);
    } else {
      n.put("type", "inverted");
      n.set("of", writeMapping(((Mapping.Inverted) mapping).of()));
    }
    return n;
  }

  static Measure readMeasure(JsonNode n, String where) {
    if (!n.isObject()) {
      throw new InvalidScorecardException(where + ": each measure must be an object");
    }
    String id = n.has("measure") ? text(n, "measure", where) : null;
    String mwhere = where + " measure '" + (id != null ? id : n.path("builtin").asText()) + "'";
    checkFields(mwhere, n, MEASURE_FIELDS);
    Measure base = null;
    if (n.has("builtin")) {
      String name = text(n, "builtin", mwhere);
      base =
          BuiltInMeasures.find(name)
              .orElseThrow(
                  () ->
                      new InvalidScorecardException(
                          mwhere
                              + ": unknown measure '"
                              + name
                              + "'; built-in measures are "
                              + BuiltInMeasures.names()));
      if (id == null) {
        id = base.id();
      }
    } else if (id == null) {
      throw new InvalidScorecardException(
          where + ": a measure needs 'measure' (its id) or 'builtin'");
    }
    if (base == null && !n.has("mapping")) {
      throw new InvalidScorecardException(mwhere + ": 'mapping' is required");
    }
    if (base == null && !n.has("weight")) {
      throw new InvalidScorecardException(mwhere + ": 'weight' is required");
    }
    double weight = n.has("weight") ? number(n, "weight", mwhere) : base.weight();
    Mapping mapping = n.has("mapping") ? readMapping(n.get("mapping"), mwhere) : base.mapping();
    Duration maxAge =
        n.has("maxAge") ? duration(n, "maxAge", mwhere) : base == null ? null : base.maxAge();
    Duration halfLife =
        n.has("halfLife") ? duration(n, "halfLife", mwhere) : base == null ? null : base.halfLife();
    String description =
        n.has("description")
            ? n.get("description").asText()
            : base == null ? "" : base.description();
    return new Measure(id, weight, mapping, maxAge, halfLife, description);
  }

  static Mapping readMapping(JsonNode n, String where) {
    String w = where + " mapping";
    if (!n.isObject()) {
      throw new InvalidScorecardException(w + ": must be an object");
    }
    String type = text(n, "type", w);
    try {
      switch (type) {
        case "linear":
          checkFields(w, n, Set.of("type", "poor", "good", "floor", "ceiling"));
          return new Mapping.Linear(
              number(n, "poor", w),
              number(n, "good", w),
              n.has("floor") ? number(n, "floor", w) : 0,
              n.has("ceiling") ? number(n, "ceiling", w) : 100);
        case "logarithmic":
          checkFields(w, n, Set.of("type", "poor", "good"));
          return new Mapping.Logarithmic(number(n, "poor", w), number(n, "good", w));
        case "thresholds":
          checkFields(w, n, Set.of("type", "cuts", "scores"));
          return new Mapping.Thresholds(numbers(n, "cuts", w), numbers(n, "scores", w));
        case "inverted":
          checkFields(w, n, Set.of("type", "of"));
          if (!n.has("of")) {
            throw new InvalidScorecardException(w + ": 'of' is required");
          }
          return new Mapping.Inverted(readMapping(n.get("of"), where));
        default:
          throw new InvalidScorecardException(
              w
                  + ": unknown type '"
                  + type
                  + "'; known: linear, logarithmic, thresholds, inverted");
      }
    } catch (InvalidScorecardException e) {
      if (e.getMessage().startsWith(where)) {
        throw e;
      }
      throw new InvalidScorecardException(where + ": " + e.getMessage(), e);
    }
  }
}
