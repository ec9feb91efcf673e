package dev.steward.health;

import static dev.steward.health.JsonFields.NODES;
import static dev.steward.health.JsonFields.checkFields;
import static dev.steward.health.JsonFields.checkFormat;
import static dev.steward.health.JsonFields.integer;
import static dev.steward.health.JsonFields.number;
import static dev.steward.health.JsonFields.parse;
import static dev.steward.health.JsonFields.pretty;
import static dev.steward.health.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes a scorecard as JSON; the format is documented on {@link Scorecard#toJson()}.
 * Unknown fields are rejected, so a typo such as {@code "wieght"} cannot silently change a score.
 */
final class ScorecardJson {
  private static final Set<String> CARD_FIELDS =
      Set.of("format", "id", "version", "minCoverage", "display", "items");
  private static final Set<String> GROUP_FIELDS = Set.of("group", "weight", "measures");

  private ScorecardJson() {}

  /** The scorecard as JSON text. */
  static String write(Scorecard card) {
    return pretty(tree(card, true));
  }

  static ObjectNode tree(Scorecard card, boolean withFormat) {
    ObjectNode root = NODES.objectNode();
    if (withFormat) {
      root.put("format", Scorecard.JSON_FORMAT);
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
        MeasureJson.writeMeasure(items.addObject(), m);
      } else {
        MeasureGroup g = (MeasureGroup) item;
        ObjectNode gn = items.addObject();
        gn.put("group", g.id());
        gn.put("weight", g.weight());
        ArrayNode ms = gn.putArray("measures");
        for (Measure m : g.measures()) {
          MeasureJson.writeMeasure(ms.addObject(), m);
        }
      }
    }
    return root;
  }

  /** Parses and validates a scorecard. */
  static Scorecard read(String json) {
    JsonNode root = parse(json, "scorecard");
    checkFormat(root, "scorecard");
    return readCard(root);
  }

  static Scorecard readCard(JsonNode root) {
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
          measures.add(MeasureJson.readMeasure(m, gwhere));
        }
        b.group(new MeasureGroup(gid, number(item, "weight", gwhere), measures));
      } else {
        b.measure(MeasureJson.readMeasure(item, where));
      }
    }
    return b.build();
  }

  static DisplayScheme readDisplay(JsonNode n, String where) {
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
}
