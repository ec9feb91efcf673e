package dev.steward.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.model.TenantId;
import dev.steward.onboarding.Actor;
import dev.steward.onboarding.OnboardingPhase;
import dev.steward.onboarding.OnboardingRecord;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.PhaseVerdict;
import dev.steward.onboarding.Transition;
import dev.steward.onboarding.Verdict;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An {@link OnboardingRecord} as a JSON document; instants as ISO-8601 text, so they round-trip.
 * The tenant, state and version are the row's columns; the document repeats the state so that a
 * record reads whole from it. An unknown state, phase or verdict name is refused with the field
 * named, never mapped to a default.
 */
final class OnboardingJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int FORMAT = 1;

  private OnboardingJson() {}

  static String write(OnboardingRecord r) {
    ObjectNode n = NODES.objectNode();
    n.put("format", FORMAT);
    n.put("state", r.state().name());
    actor(n.putObject("enrolledBy"), r.enrolledBy());
    n.put("enrolledAt", r.enrolledAt().toString());
    ObjectNode entered = n.putObject("enteredAt");
    new EnumMap<>(r.enteredAt()).forEach((s, at) -> entered.put(s.name(), at.toString()));
    ArrayNode transitions = n.putArray("transitions");
    for (Transition t : r.transitions()) {
      ObjectNode o = transitions.addObject();
      o.put("from", t.from().name());
      o.put("to", t.to().name());
      actor(o.putObject("by"), t.by());
      o.put("at", t.at().toString());
      o.put("reason", t.reason());
    }
    ArrayNode verdicts = n.putArray("verdicts");
    for (PhaseVerdict v : r.verdicts()) {
      ObjectNode o = verdicts.addObject();
      o.put("phase", v.phase().name());
      o.put("verdict", v.verdict().name());
      actor(o.putObject("by"), v.by());
      o.put("at", v.at().toString());
      o.put("reason", v.reason());
      ArrayNode f = o.putArray("findings");
      v.findings().forEach(f::add);
    }
    r.resumeTo().ifPresent(s -> n.put("resumeTo", s.name()));
    return MessageJson.toString(n);
  }

  static OnboardingRecord read(TenantId tenant, long version, String json) {
    JsonNode n = MessageJson.parse(json, "onboarding record");
    int format = n.path("format").asInt(-1);
    if (format != FORMAT) {
      throw new JdbcStoreException("stored onboarding record has unknown format " + format);
    }
    Map<OnboardingState, Instant> entered = new EnumMap<>(OnboardingState.class);
    JsonNode enteredNode = n.path("enteredAt");
    Iterator<String> keys = enteredNode.fieldNames();
    while (keys.hasNext()) {
      String key = keys.next();
      entered.put(
          name(OnboardingState.class, "enteredAt key", key),
          instant("enteredAt." + key, enteredNode.get(key).asText()));
    }
    List<Transition> transitions = new ArrayList<>();
    int i = 0;
    for (JsonNode o : n.path("transitions")) {
      String at = "transitions[" + i++ + "]";
      transitions.add(
          new Transition(
              name(OnboardingState.class, at + ".from", text(o, at, "from")),
              name(OnboardingState.class, at + ".to", text(o, at, "to")),
              actor(o.path("by"), at + ".by"),
              instant(at + ".at", text(o, at, "at")),
              text(o, at, "reason")));
    }
    List<PhaseVerdict> verdicts = new ArrayList<>();
    i = 0;
    for (JsonNode o : n.path("verdicts")) {
      String at = "verdicts[" + i++ + "]";
      List<String> findings = new ArrayList<>();
      o.path("findings").forEach(f -> findings.add(f.asText()));
      verdicts.add(
          new PhaseVerdict(
              name(OnboardingPhase.class, at + ".phase", text(o, at, "phase")),
              name(Verdict.class, at + ".verdict", text(o, at, "verdict")),
              actor(o.path("by"), at + ".by"),
              instant(at + ".at", text(o, at, "at")),
              text(o, at, "reason"),
              findings));
    }
    Optional<OnboardingState> resumeTo =
        n.hasNonNull("resumeTo")
            ? Optional.of(name(OnboardingState.class, "resumeTo", n.get("resumeTo").asText()))
            : Optional.empty();
    return new OnboardingRecord(
        tenant,
        name(OnboardingState.class, "state", text(n, "record", "state")),
        version,
        actor(n.path("enrolledBy"), "enrolledBy"),
        instant("enrolledAt", text(n, "record", "enrolledAt")),
        entered,
        transitions,
        verdicts,
        resumeTo);
  }

  private static void actor(ObjectNode o, Actor a) {
    o.put("kind", a.kind().name());
    o.put("name", a.name());
  }

  private static Actor actor(JsonNode o, String at) {
    return new Actor(
        name(Actor.Kind.class, at + ".kind", text(o, at, "kind")), text(o, at, "name"));
  }

  private static String text(JsonNode o, String at, String field) {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual()) {
      throw new JdbcStoreException(
          "stored onboarding record: " + at + "." + field + " is missing or not text");
    }
    return v.asText();
  }

  private static <E extends Enum<E>> E name(Class<E> type, String field, String value) {
    try {
      return Enum.valueOf(type, value);
    } catch (IllegalArgumentException e) {
      throw new JdbcStoreException(
          "stored onboarding record: "
              + field
              + " is '"
              + value
              + "', not a known "
              + type.getSimpleName());
    }
  }

  private static Instant instant(String field, String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new JdbcStoreException(
          "stored onboarding record: " + field + " is '" + value + "', not an instant");
    }
  }
}
