package dev.steward.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.internal.json.StrictJson;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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
 * <p>{@code display} is a built-in name or {@code {"name": .., "bands": [{"label", "from",
 * "to"}]}}; mappings are {@code linear} (poor, good, optional floor and ceiling), {@code
 * logarithmic} (poor, good), {@code thresholds} (cuts, scores) and {@code inverted} (of). A measure
 * may instead name a built-in definition with {@code "builtin": "nps"}, overriding its fields as
 * needed.
 */
public final class ScorecardJson {
  /** The JSON format version this class writes and reads. */
  public static final int FORMAT = 1;

  private static final ObjectWriter WRITER = new ObjectMapper().writerWithDefaultPrettyPrinter();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> CARD_FIELDS =
      Set.of("format", "id", "version", "minCoverage", "display", "items");
  private static final Set<String> MEASURE_FIELDS =
      Set.of("measure", "builtin", "weight", "mapping", "maxAge", "halfLife", "description");
  private static final Set<String> GROUP_FIELDS = Set.of("group", "weight", "measures");
  private static final Set<String> SEGMENTED_FIELDS =
      Set.of("format", "scorecards", "default", "segments");
  private static final Set<String> SEGMENT_FIELDS = Set.of("name", "match", "scorecard");

  private ScorecardJson() {}

  /** The scorecard as JSON text. */
  public static String write(Scorecard card) {
    return pretty(tree(card, true));
  }

  private static String pretty(JsonNode root) {
    try {
      return WRITER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  private static ObjectNode tree(Scorecard card, boolean withFormat) {
    ObjectNode root = NODES.objectNode();
    if (withFormat) {
      root.put("format", FORMAT);
    }
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
    return root;
  }

  /** Parses and validates a scorecard. */
  public static Scorecard read(String json) {
    JsonNode root = parse(json, "scorecard");
    checkFormat(root, "scorecard");
    return readCard(root);
  }

  private static JsonNode parse(String json, String what) {
    if (json == null) {
      throw new InvalidScorecardException(what + " JSON must not be null");
    }
    JsonNode root = StrictJson.read(json, what, InvalidScorecardException::new);
    if (root == null || !root.isObject()) {
      throw new InvalidScorecardException(what + " JSON must be an object");
    }
    return root;
  }

  private static void checkFormat(JsonNode root, String what) {
    JsonNode f = root.get("format");
    if (f == null) {
      return;
    }
    if (!f.isIntegralNumber() || f.asInt() != FORMAT) {
      throw new InvalidScorecardException(
          what + " JSON format " + f + " is not supported; this version reads " + FORMAT);
    }
  }

  private static Scorecard readCard(JsonNode root) {
    if (!root.isObject()) {
      throw new InvalidScorecardException("scorecard: must be an object");
    }
    checkFields("scorecard", root, CARD_FIELDS);
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

  /**
   * Segmented scorecards as JSON text: every scorecard once under {@code scorecards}, and the
   * default and each segment naming its scorecard by id.
   *
   * <pre>{@code
   * {"format": 1,
   *  "scorecards": [{"id": "smb", ...}, {"id": "enterprise", ...}],
   *  "default": "smb",
   *  "segments": [{"name": "enterprise", "match": {"tier": "enterprise"}, "scorecard": "enterprise"}]}
   * }</pre>
   *
   * @throws InvalidScorecardException if two different scorecards share an id, as a reference by id
   *     could not tell them apart
   */
  public static String writeSegmented(SegmentedScorecards segmented) {
    if (segmented == null) {
      throw new InvalidScorecardException("segmented scorecards must not be null");
    }
    Map<String, Scorecard> cards = new LinkedHashMap<>();
    addCard(cards, segmented.defaultScorecard(), SegmentedScorecards.DEFAULT);
    for (SegmentedScorecards.Segment s : segmented.segments()) {
      addCard(cards, s.scorecard(), s.name());
    }
    ObjectNode root = NODES.objectNode();
    root.put("format", FORMAT);
    ArrayNode list = root.putArray("scorecards");
    for (Scorecard card : cards.values()) {
      list.add(tree(card, false));
    }
    root.put("default", segmented.defaultScorecard().id());
    ArrayNode segments = root.putArray("segments");
    for (SegmentedScorecards.Segment s : segmented.segments()) {
      ObjectNode sn = segments.addObject();
      sn.put("name", s.name());
      ObjectNode match = sn.putObject("match");
      // sorted, so that the same segments always give the same text
      new TreeMap<>(s.match()).forEach(match::put);
      sn.put("scorecard", s.scorecard().id());
    }
    return pretty(root);
  }

  private static void addCard(Map<String, Scorecard> cards, Scorecard card, String usedBy) {
    Scorecard known = cards.putIfAbsent(card.id(), card);
    if (known != null && !known.equals(card)) {
      throw new InvalidScorecardException(
          "segmented scorecards: segment '"
              + usedBy
              + "' uses scorecard '"
              + card.id()
              + "' v"
              + card.version()
              + " but another scorecard with that id (v"
              + known.version()
              + ") is already used; give them different ids");
    }
  }

  /**
   * Parses and validates segmented scorecards written by {@link #writeSegmented}: unknown fields,
   * missing or dangling scorecard references, duplicate ids and names, unused scorecards and
   * segments that an earlier segment hides are all rejected with a message naming them.
   */
  public static SegmentedScorecards readSegmented(String json) {
    String what = "segmented scorecards";
    JsonNode root = parse(json, what);
    checkFields(what, root, SEGMENTED_FIELDS);
    checkFormat(root, what);
    JsonNode list = root.get("scorecards");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw new InvalidScorecardException(what + ": 'scorecards' must be a non-empty array");
    }
    Map<String, Scorecard> cards = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      Scorecard card;
      try {
        checkFormat(list.get(i), "scorecard");
        card = readCard(list.get(i));
      } catch (InvalidScorecardException e) {
        throw new InvalidScorecardException(what + ": scorecards[" + i + "]: " + e.getMessage(), e);
      }
      if (cards.putIfAbsent(card.id(), card) != null) {
        throw new InvalidScorecardException(
            what
                + ": scorecards["
                + i
                + "]: id '"
                + card.id()
                + "' is used by an earlier scorecard");
      }
    }
    Set<String> used = new HashSet<>();
    SegmentedScorecards.Builder b =
        SegmentedScorecards.builder(reference(root, "default", what, cards, used));
    JsonNode segments = root.get("segments");
    if (segments != null && !segments.isArray()) {
      throw new InvalidScorecardException(what + ": 'segments' must be an array");
    }
    if (segments != null) {
      for (int i = 0; i < segments.size(); i++) {
        JsonNode sn = segments.get(i);
        String where = what + ": segments[" + i + "]";
        checkFields(where, sn, SEGMENT_FIELDS);
        String name = text(sn, "name", where);
        where = what + ": segment '" + name + "'";
        JsonNode match = sn.get("match");
        if (match == null || !match.isObject()) {
          throw new InvalidScorecardException(
              where + ": 'match' must be an object of attribute names to values");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> f : match.properties()) {
          if (!f.getValue().isTextual()) {
            throw new InvalidScorecardException(
                where
                    + ": match value of '"
                    + f.getKey()
                    + "' must be a string, got "
                    + f.getValue());
          }
          attributes.put(f.getKey(), f.getValue().asText());
        }
        Scorecard card = reference(sn, "scorecard", where, cards, used);
        try {
          b.segment(name, attributes, card);
        } catch (InvalidScorecardException e) {
          throw e.getMessage().startsWith(what)
              ? e
              : new InvalidScorecardException(what + ": " + e.getMessage(), e);
        }
      }
    }
    for (String id : cards.keySet()) {
      if (!used.contains(id)) {
        throw new InvalidScorecardException(
            what
                + ": scorecard '"
                + id
                + "' is defined but neither the default nor any segment uses it");
      }
    }
    return b.build();
  }

  private static Scorecard reference(
      JsonNode n, String field, String where, Map<String, Scorecard> cards, Set<String> used) {
    String id = text(n, field, where);
    Scorecard card = cards.get(id);
    if (card == null) {
      throw new InvalidScorecardException(
          where
              + ": '"
              + field
              + "' names scorecard '"
              + id
              + "', which is not among the scorecards "
              + cards.keySet());
    }
    used.add(id);
    return card;
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
          where + ": '" + field + "' value '" + s + "' is not an ISO-8601 duration such as P14D",
          e);
    }
  }
}
