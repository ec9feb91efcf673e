package dev.steward.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.internal.json.MalformedJsonException;
import dev.steward.internal.json.MessageJson;
import dev.steward.model.TenantId;
import dev.steward.onboarding.PilotState;
import dev.steward.onboarding.StageChange;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A tenant's {@link PilotState} as the JSON document of its row; read back exactly. */
final class PilotJson {
  private static final int FORMAT = 1;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private PilotJson() {}

  static String write(PilotState s) {
    ObjectNode n = NODES.objectNode();
    n.put("format", FORMAT);
    n.put("stage", s.stage());
    n.put("stageSince", s.stageSince().toString());
    n.put("day", s.day().toString());
    s.warningSeen().ifPresent(w -> n.put("warningSeen", w.toString()));
    n.put("graduated", s.graduated());
    ArrayNode h = n.putArray("history");
    for (StageChange c : s.history()) {
      ObjectNode cn = h.addObject();
      cn.put("at", c.at().toString());
      cn.put("from", c.from());
      cn.put("to", c.to());
      cn.put("reason", c.reason());
    }
    return MessageJson.toString(n);
  }

  static PilotState read(TenantId tenant, String json) {
    JsonNode n = MessageJson.parse(json, "pilot state");
    if (n.path("format").asInt(-1) != FORMAT) {
      throw new MalformedJsonException("stored pilot state of " + tenant + " has unknown format");
    }
    List<StageChange> history = new ArrayList<>();
    for (JsonNode c : n.path("history")) {
      history.add(
          new StageChange(
              Instant.parse(c.get("at").asText()),
              c.get("from").asInt(),
              c.get("to").asInt(),
              c.get("reason").asText()));
    }
    JsonNode warning = n.get("warningSeen");
    return new PilotState(
        tenant,
        n.get("stage").asInt(),
        Instant.parse(n.get("stageSince").asText()),
        LocalDate.parse(n.get("day").asText()),
        warning == null ? Optional.empty() : Optional.of(Instant.parse(warning.asText())),
        n.path("graduated").asBoolean(false),
        history);
  }
}
