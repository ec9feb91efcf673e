package dev.steward.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes scorecards as JSON (format 1). Unknown fields are rejected, so a typo such as
 * {@code "wieght"} cannot silently change a score. Durations are ISO-8601 ({@code "P14D"}).
 *
 * <pre>{@code
 * {"format": 1, "id": "smb", "version": 3, "minCoverage": 0.6, "display": "colours",
 *  "items": [
 *    {"measure": "logins", "weight": 2, "maxAge": "P7D", "halfLife": "P14D",
 *     "mapping": {"type": "logarithmic", "poor": 0, "good": 100}},
 *    {"group": "support", "weight": 1, "measures": [
 *      {"measure": "tickets_opened", "weight": 1,
 *       "mapping": {"type": "linear", "poor": 10, "good": 0}}]}]}
 * }</pre>
 *
 * <p>{@code display} is a built-in name or {@code {"name": .., "bands": [{"label", "from", "to"}]}};
 * mappings are {@code linear} (poor, good, optional floor and ceiling), {@code logarithmic} (poor,
 * good), {@code thresholds} (cuts, scores) and {@code inverted} (of). A measure may instead name a
 * built-in definition with {@code "builtin": "nps"}, overriding its fields as needed.
 */
public final class ScorecardJson {
  /** The JSON format version this class writes and reads. */
  public static final int FORMAT = 1;

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> CARD_FIELDS =
      Set.of("format", "id", "version", "minCoverage", "display", "items");
  private static final Set<String> MEASURE_FIELDS =
      Set.of("measure", "builtin", "weight", "mapping", "maxAge", "halfLife", "description");
  private static final Set<String> GROUP_FIELDS = Set.of("group", "weight", "measures");

  private ScorecardJson() {}

  /** The scorecard as JSON text. */
  public static String write(Scorecard card) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("id", card.id());
    root.put("version", card.version());
    root.put("minCoverage", card.minCoverage());
    DisplayScheme d = card.display();
    if (d == DisplayScheme.COLOURS || d == DisplayScheme.GRADES || d == DisplayScheme.NUMERIC) {
      root.put("display", d.name());
    } else {
      ObjectNode dn = root.putObject("display");
      dn.put("name", d.name());
      ArrayNode bands = dn.putArray("bands");
      for (Band b : d.bands()) {
        bands.addObject().put("label", b.label()).put("from", b.from()).put("to", b.to());
      }
    }
    ArrayNode items = root.putArray("items");
    for (ScorecardItem item : card.items()) {
      if (item instanceof Measure m) {
        writeMeasure(items.addObject(), m);
      } else {
        MeasureGroup g = (MeasureGroup) item;
        ObjectNode gn = items.addObject();
        gn.put("group", g.id());
        gn.put("weight", g.weight());
        ArrayNode ms = gn.putArray("measures");
        for (Measure m : g.measures()) {
          writeMeasure(ms.addObject(), m);
        }
      }
    }
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  /** Parses and validates a scorecard. */
  public static Scorecard read(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidScorecardException("scorecard JSON is not well-formed: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new InvalidScorecardException("scorecard JSON must be an object");
    }
    checkFields("scorecard", root, CARD_FIELDS);
    int format = root.path("format").asInt(FORMAT);
    if (format != FORMAT) {
      throw new InvalidScorecardException(
          "scorecard JSON format " + format + " is not supported; this version reads " + FORMAT);
    }
    Scorecard.Builder b = Scorecard.builder(text(root, "id", "scorecard"));
    String where = "scorecard '" + root.get("id").asText() + "'";
    if (root.has("version")) {
      b.version(integer(root, "version", where));
    }
    if (root.has("minCoverage")) {
      b.minCoverage(number(root, "minCoverage", where));
    }
    if (root.has("display")) {
      b.display(readDisplay(root.get("display"), where));
    }
    JsonNode items = root.get("items");
    if (items == null || !items.isArray()) {
      throw new InvalidScorecardException(where + ": 'items' must be an array");
    }
    for (JsonNode item : items) {
      if (item.has("group")) {
        checkFields(where + " group", item, GROUP_FIELDS);
        String gid = text(item, "group", where);
        String gwhere = where + " group '" + gid + "'";
        JsonNode ms = item.get("measures");
        if (ms == null || !ms.isArray()) {
          throw new InvalidScorecardException(gwhere + ": 'measures' must be an array");
        }
        List<Measure> measures = new ArrayList<>();
        for (JsonNode m : ms) {
          measures.add(readMeasure(m, gwhere));
        }
        b.group(new MeasureGroup(gid, number(item, "weight", gwhere), measures));
      } else {
        b.measure(readMeasure(item, where));
      }
    }
    return b.build();
  }

  private static void writeMeasure(ObjectNode n, Measure m) {
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

  private static ObjectNode writeMapping(Mapping mapping) {
    ObjectNode n = MAPPER.createObjectNode();
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

  private static Measure readMeasure(JsonNode n, String where) {
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
      throw new InvalidScorecardException(where + ": a measure needs 'measure' (its id) or 'builtin'");
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

  private static Mapping readMapping(JsonNode n, String where) {
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

  private static DisplayScheme readDisplay(JsonNode n, String where) {
    if (n.isTextual()) {
      return DisplayScheme.named(n.asText());
    }
    checkFields(where + " display", n, Set.of("name", "bands"));
    JsonNode bands = n.get("bands");
    if (bands == null || !bands.isArray()) {
      throw new InvalidScorecardException(where + " display: 'bands' must be an array");
    }
    List<Band> list = new ArrayList<>();
    for (JsonNode b : bands) {
      checkFields(where + " display band", b, Set.of("label", "from", "to"));
      list.add(
          new Band(
              text(b, "label", where + " display band"),
              number(b, "from", where + " display band"),
              number(b, "to", where + " display band")));
    }
    return new DisplayScheme(text(n, "name", where + " display"), list);
  }

  private static void checkFields(String where, JsonNode n, Set<String> allowed) {
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

  private static String text(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new InvalidScorecardException(where + ": '" + field + "' must be a string");
    }
    return v.asText();
  }

  private static double number(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.isNumber()) {
      throw new InvalidScorecardException(where + ": '" + field + "' must be a number");
    }
    return v.asDouble();
  }

  private static int integer(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new InvalidScorecardException(where + ": '" + field + "' must be an integer");
    }
    return v.asInt();
  }

  private static List<Double> numbers(JsonNode n, String field, String where) {
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

  private static Duration duration(JsonNode n, String field, String where) {
    String s = text(n, field, where);
    try {
      return Duration.parse(s);
    } catch (DateTimeParseException e) {
      throw new InvalidScorecardException(
          where + ": '" + field + "' value '" + s + "' is not an ISO-8601 duration such as P14D", e);
    }
  }
}
