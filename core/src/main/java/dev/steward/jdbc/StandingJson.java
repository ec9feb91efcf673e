package dev.steward.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.governance.Cause;
import dev.steward.governance.HumanOverride;
import dev.steward.governance.Level;
import dev.steward.governance.Standing;
import dev.steward.governance.StandingChange;
import dev.steward.internal.json.MalformedJsonException;
import dev.steward.internal.json.MessageJson;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A governance {@link Standing} as the JSON document of its row; read back exactly. An override's
 * {@code resumeTo} is an optional field: a document written before it existed reads it as its
 * stored history says (the {@code from} of the latest OVERRIDDEN change, NONE if none is left), as
 * evaluation used to, so the format stays 1 and no migration is needed.
 */
final class StandingJson {
  private static final int FORMAT = 1;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private StandingJson() {}

  static String write(Standing s) {
    ObjectNode n = NODES.objectNode();
    n.put("format", FORMAT);
    n.put("level", s.level().name());
    n.put("since", s.since().toString());
    s.expiresAt().ifPresent(e -> n.put("expiresAt", e.toString()));
    s.cleanSince().ifPresent(e -> n.put("cleanSince", e.toString()));
    n.put("terminationReview", s.terminationReview());
    s.override()
        .ifPresent(
            o -> {
              ObjectNode on = n.putObject("override");
              on.put("level", o.level().name());
              on.put("reason", o.reason());
              on.put("by", o.by());
              on.put("at", o.at().toString());
              o.until().ifPresent(u -> on.put("until", u.toString()));
              on.put("resumeTo", o.resumeTo().name());
            });
    ArrayNode h = n.putArray("history");
    for (StandingChange c : s.history()) {
      ObjectNode cn = h.addObject();
      cn.put("at", c.at().toString());
      cn.put("from", c.from().name());
      cn.put("to", c.to().name());
      cn.put("cause", c.cause().name());
      cn.put("explanation", c.explanation());
    }
    return MessageJson.toString(n);
  }

  static Standing read(TenantId tenant, String json) {
    JsonNode n = MessageJson.parse(json, "governance standing");
    if (n.path("format").asInt(-1) != FORMAT) {
      throw new MalformedJsonException(
          "stored governance standing of " + tenant + " has unknown format");
    }
    List<StandingChange> history = new ArrayList<>();
    for (JsonNode c : n.path("history")) {
      history.add(
          new StandingChange(
              Instant.parse(c.get("at").asText()),
              Level.valueOf(c.get("from").asText()),
              Level.valueOf(c.get("to").asText()),
              Cause.valueOf(c.get("cause").asText()),
              c.get("explanation").asText()));
    }
    Optional<HumanOverride> override = Optional.empty();
    JsonNode on = n.get("override");
    if (on != null) {
      JsonNode resumeTo = on.get("resumeTo");
      override =
          Optional.of(
              new HumanOverride(
                  Level.valueOf(on.get("level").asText()),
                  on.get("reason").asText(),
                  on.get("by").asText(),
                  Instant.parse(on.get("at").asText()),
                  instant(on, "until"),
                  resumeTo == null
                      ? levelBeforeOverride(history)
                      : Level.valueOf(resumeTo.asText())));
    }
    return new Standing(
        tenant,
        Level.valueOf(n.get("level").asText()),
        Instant.parse(n.get("since").asText()),
        instant(n, "expiresAt"),
        instant(n, "cleanSince"),
        n.path("terminationReview").asBoolean(false),
        override,
        history);
  }

  /**
   * Where a document of before {@code resumeTo} returns to: its latest OVERRIDDEN change's from.
   */
  private static Level levelBeforeOverride(List<StandingChange> history) {
    for (int i = history.size() - 1; i >= 0; i--) {
      if (history.get(i).cause() == Cause.OVERRIDDEN) {
        return history.get(i).from();
      }
    }
    return Level.NONE;
  }

  private static Optional<Instant> instant(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null ? Optional.empty() : Optional.of(Instant.parse(v.asText()));
  }
}
