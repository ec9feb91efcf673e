package dev.steward.onboarding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.governance.Breach;
import dev.steward.governance.GovernanceMetric;
import dev.steward.governance.Level;
import dev.steward.governance.MetricCounts;
import dev.steward.governance.MetricWindow;
import dev.steward.governance.WindowReading;
import dev.steward.internal.json.StrictJson;
import dev.steward.schedule.InvalidWorkException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A pending outreach notice, as its work item keeps it: which move of the tenant's audit trail it
 * announces (the enrolment it belongs to and the move's place on the trail), and what to tell.
 *
 * @param flagged true for a flag (a move to OUTREACH), false for the end of an episode
 * @param enrolledAt when the tenant's record was enrolled (a record enrolled again after an erasure
 *     is another record, whose trail starts afresh)
 * @param index the place on the record's transitions the move takes
 * @param createdAt when the notice was stored, just before its move was made
 */
record OutreachNotice(
    boolean flagged,
    Instant enrolledAt,
    int index,
    Instant createdAt,
    Instant at,
    Set<OutreachFlag.Reason> reasons,
    Level level,
    List<Breach> breaches,
    List<WindowReading> readings,
    String explanation) {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The work item's id: stable per move, unique per tenant. */
  String itemId() {
    return "outreach-" + enrolledAt.toEpochMilli() + "-" + index;
  }

  /** The same notice announcing the move at another place of the trail. */
  OutreachNotice at(int place) {
    return new OutreachNotice(
        flagged, enrolledAt, place, createdAt, at, reasons, level, breaches, readings, explanation);
  }

  static String write(OutreachNotice n) {
    ObjectNode o = NODES.objectNode();
    o.put("flagged", n.flagged);
    o.put("enrolledAt", n.enrolledAt.toString());
    o.put("index", n.index);
    o.put("createdAt", n.createdAt.toString());
    o.put("at", n.at.toString());
    ArrayNode reasons = o.putArray("reasons");
    n.reasons.stream().sorted().forEach(r -> reasons.add(r.name()));
    o.put("level", n.level.name());
    ArrayNode breaches = o.putArray("breaches");
    for (Breach b : n.breaches) {
      ObjectNode x = breaches.addObject();
      x.put("metric", b.metric().name());
      x.put("window", b.window().name());
      x.put("value", b.value());
      x.put("threshold", b.threshold());
      x.put("level", b.level().name());
      x.put("numerator", b.numerator());
      x.put("denominator", b.denominator());
    }
    ArrayNode readings = o.putArray("readings");
    for (WindowReading r : n.readings) {
      ObjectNode x = readings.addObject();
      x.put("window", r.window().name());
      x.put("sufficient", r.sufficient());
      MetricCounts c = r.counts();
      ArrayNode counts = x.putArray("counts");
      counts
          .add(c.processed())
          .add(c.delivered())
          .add(c.hardBounces())
          .add(c.blocked())
          .add(c.invalid())
          .add(c.spamReports())
          .add(c.unsubscribes())
          .add(c.deferred())
          .add(c.sentToInactive());
    }
    o.put("explanation", n.explanation);
    return o.toString();
  }

  static OutreachNotice read(String json, int version) {
    try {
      JsonNode o =
          StrictJson.read(
              json, "outreach notice payload", (m, e) -> new InvalidWorkException(m, e));
      Set<OutreachFlag.Reason> reasons = EnumSet.noneOf(OutreachFlag.Reason.class);
      o.get("reasons").forEach(r -> reasons.add(OutreachFlag.Reason.valueOf(r.asText())));
      List<Breach> breaches = new ArrayList<>();
      for (JsonNode x : o.get("breaches")) {
        breaches.add(
            new Breach(
                GovernanceMetric.valueOf(x.get("metric").asText()),
                MetricWindow.valueOf(x.get("window").asText()),
                x.get("value").asDouble(),
                x.get("threshold").asDouble(),
                Level.valueOf(x.get("level").asText()),
                x.get("numerator").asLong(),
                x.get("denominator").asLong()));
      }
      List<WindowReading> readings = new ArrayList<>();
      for (JsonNode x : o.get("readings")) {
        long[] c = new long[9];
        for (int i = 0; i < 9; i++) {
          c[i] = x.get("counts").get(i).asLong();
        }
        readings.add(
            new WindowReading(
                MetricWindow.valueOf(x.get("window").asText()),
                new MetricCounts(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]),
                x.get("sufficient").asBoolean()));
      }
      return new OutreachNotice(
          o.get("flagged").asBoolean(),
          Instant.parse(o.get("enrolledAt").asText()),
          o.get("index").asInt(),
          Instant.parse(o.get("createdAt").asText()),
          Instant.parse(o.get("at").asText()),
          reasons,
          Level.valueOf(o.get("level").asText()),
          breaches,
          readings,
          o.get("explanation").asText());
    } catch (InvalidWorkException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new InvalidWorkException("outreach notice payload cannot be read: " + e, e);
    }
  }
}
