package dev.steward.health;

import static dev.steward.health.JsonFields.NODES;
import static dev.steward.health.JsonFields.checkFields;
import static dev.steward.health.JsonFields.checkFormat;
import static dev.steward.health.JsonFields.parse;
import static dev.steward.health.JsonFields.pretty;
import static dev.steward.health.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads and writes segmented scorecards as JSON; the format is documented on {@link
 * SegmentedScorecards#toJson()}.
 */
final class SegmentedScorecardsJson {
  private static final Set<String> SEGMENTED_FIELDS =
      Set.of("format", "scorecards", "default", "segments");
  private static final Set<String> SEGMENT_FIELDS = Set.of("name", "match", "scorecard");

  private SegmentedScorecardsJson() {}

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
  static String write(SegmentedScorecards segmented) {
    if (segmented == null) {
      throw new InvalidScorecardException("segmented scorecards must not be null");
    }
    Map<String, Scorecard> cards = new LinkedHashMap<>();
    addCard(cards, segmented.defaultScorecard(), SegmentedScorecards.DEFAULT);
    for (SegmentedScorecards.Segment s : segmented.segments()) {
      addCard(cards, s.scorecard(), s.name());
    }
    ObjectNode root = NODES.objectNode();
    root.put("format", Scorecard.JSON_FORMAT);
    ArrayNode list = root.putArray("scorecards");
    for (Scorecard card : cards.values()) {
      list.add(ScorecardJson.tree(card, false));
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

  static void addCard(Map<String, Scorecard> cards, Scorecard card, String usedBy) {
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
  static SegmentedScorecards read(String json) {
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
        card = ScorecardJson.readCard(list.get(i));
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

  static Scorecard reference(
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
}
