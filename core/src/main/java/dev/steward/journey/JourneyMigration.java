package dev.steward.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.internal.json.StrictJson;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An explicit move of the running enrolments of one journey version to another: every step of the
 * old version (validation makes every step reachable, so an enrolment can stand at each of them)
 * mapped to a step of the new version. Enrolments stay on the version they entered unless a
 * migration moves them ({@link JourneyScheduler#migrate}).
 *
 * <p>Built with {@link #builder} or read from strict JSON ({@link #fromJson}, the format of {@link
 * #toJson}): {@code {"journey":"onboarding","fromVersion":1,"toVersion":2,"steps":{"day-3":
 * "day-3"}}}. {@link #check} holds it against the two definitions: a mapped-to step the new version
 * lacks, an old step left unmapped, or a wait for an event or a human task mapped to a step of
 * another kind is refused naming the step.
 *
 * @param journey the journey's id
 * @param fromVersion the version whose enrolments move
 * @param toVersion the version they move to
 * @param steps old step id to new step id, in old step id order
 */
public record JourneyMigration(
    String journey, int fromVersion, int toVersion, Map<String, String> steps) {

  public JourneyMigration {
    JourneyDefinition.checkJourneyId(journey);
    if (fromVersion < 1 || toVersion < 1) {
      throw new InvalidJourneyException(
          "migration of journey '"
              + journey
              + "': versions must be at least 1, were "
              + fromVersion
              + " and "
              + toVersion);
    }
    if (fromVersion == toVersion) {
      throw new InvalidJourneyException(
          "migration of journey '" + journey + "' moves version " + fromVersion + " to itself");
    }
    InvalidJourneyException.requireNonNull(steps, "steps of the migration of '" + journey + "'");
    if (steps.isEmpty()) {
      throw new InvalidJourneyException(
          "migration of journey '"
              + journey
              + "' maps no steps; map every step of the old version");
    }
    Map<String, String> copy = new TreeMap<>();
    for (Map.Entry<String, String> m : steps.entrySet()) {
      if (m.getKey() == null || m.getKey().isBlank()) {
        throw new InvalidJourneyException(
            "migration of journey '" + journey + "' maps an empty step id");
      }
      if (m.getValue() == null || m.getValue().isBlank()) {
        throw new InvalidJourneyException(
            "migration of journey '"
                + journey
                + "': step '"
                + m.getKey()
                + "' is mapped to an empty step id");
      }
      copy.put(m.getKey(), m.getValue());
    }
    steps = Collections.unmodifiableMap(copy);
  }

  /** A builder of a migration of {@code journey} from one version to another. */
  public static Builder builder(String journey, int fromVersion, int toVersion) {
    return new Builder(journey, fromVersion, toVersion);
  }

  /** A name for history entries and logs: {@code journey v1->v2}. */
  public String name() {
    return journey + " v" + fromVersion + "->v" + toVersion;
  }

  /** The new step of an old one. */
  public Optional<String> target(String oldStep) {
    return Optional.ofNullable(steps.get(oldStep));
  }

  /**
   * Holds this migration against the old and the new definition, before anything moves.
   *
   * @throws InvalidJourneyException naming every step that is wrong: the definitions are not the
   *     journey's versions, an old step is unmapped or unknown, a mapped-to step does not exist in
   *     the new version, or a wait for an event or a human task is mapped to another kind of step
   */
  public void check(JourneyDefinition from, JourneyDefinition to) {
    InvalidJourneyException.requireNonNull(from, "old version");
    InvalidJourneyException.requireNonNull(to, "new version");
    String what = "migration " + name();
    if (!from.id().equals(journey) || from.version() != fromVersion) {
      throw new InvalidJourneyException(what + ": the old version given is " + from);
    }
    if (!to.id().equals(journey) || to.version() != toVersion) {
      throw new InvalidJourneyException(what + ": the new version given is " + to);
    }
    List<String> problems = new ArrayList<>();
    for (String old : steps.keySet()) {
      if (from.step(old).isEmpty()) {
        problems.add("maps step '" + old + "', which version " + fromVersion + " does not have");
      }
    }
    for (Step s : from.steps()) {
      String target = steps.get(s.id());
      if (target == null) {
        problems.add(
            "leaves step '"
                + s.id()
                + "' of version "
                + fromVersion
                + " unmapped; an enrolment may stand at it");
        continue;
      }
      Optional<Step> t = to.step(target);
      if (t.isEmpty()) {
        problems.add(
            "maps step '"
                + s.id()
                + "' to step '"
                + target
                + "', which version "
                + toVersion
                + " does not have");
        continue;
      }
      if (waitsOn(s) && t.get().getClass() != s.getClass()) {
        problems.add(
            "maps step '"
                + s.id()
                + "' ("
                + kind(s)
                + ") to step '"
                + target
                + "' ("
                + kind(t.get())
                + "); an enrolment waiting at it can only move to a step of the same kind");
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidJourneyException(what + " " + String.join("; ", problems));
    }
  }

  /** True for the steps an enrolment stands WAITING at: a wait for an event, a human task. */
  static boolean waitsOn(Step s) {
    return s instanceof Step.WaitForEvent || s instanceof Step.HumanTask;
  }

  static String kind(Step s) {
    if (s instanceof Step.Send) {
      return "send";
    } else if (s instanceof Step.Wait) {
      return "wait";
    } else if (s instanceof Step.WaitUntilLocalTime) {
      return "wait until a local time";
    } else if (s instanceof Step.WaitUntilDate) {
      return "wait until a date";
    } else if (s instanceof Step.WaitForEvent) {
      return "wait for an event";
    } else if (s instanceof Step.Branch) {
      return "branch";
    } else if (s instanceof Step.UpdateAttribute) {
      return "update";
    } else if (s instanceof Step.EnrolIn) {
      return "enrol";
    } else if (s instanceof Step.HumanTask) {
      return "human task";
    }
    return "exit";
  }

  /**
   * Reads a migration from JSON (the format of {@link #toJson}); unknown fields, duplicates and
   * trailing text are refused, naming the path.
   *
   * @throws InvalidJourneyException naming what is wrong
   */
  public static JourneyMigration fromJson(String json) {
    InvalidJourneyException.requireNonNull(json, "migration JSON");
    JsonNode n = StrictJson.read(json, "journey migration", InvalidJourneyException::new);
    if (!n.isObject()) {
      throw new InvalidJourneyException("journey migration JSON must be an object");
    }
    Set<String> known = Set.of("journey", "fromVersion", "toVersion", "steps");
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        throw new InvalidJourneyException(
            "journey migration: unknown field '" + f + "'; known are " + new TreeSet<>(known));
      }
    }
    for (String f : known) {
      if (!n.has(f)) {
        throw new InvalidJourneyException("journey migration: field '" + f + "' is missing");
      }
    }
    if (!n.get("journey").isTextual()) {
      throw new InvalidJourneyException("journey migration: 'journey' must be text");
    }
    Builder b =
        builder(
            n.get("journey").asText(),
            version(n.get("fromVersion"), "fromVersion"),
            version(n.get("toVersion"), "toVersion"));
    JsonNode s = n.get("steps");
    if (!s.isObject()) {
      throw new InvalidJourneyException("journey migration: 'steps' must be an object");
    }
    for (Map.Entry<String, JsonNode> f : s.properties()) {
      if (!f.getValue().isTextual()) {
        throw new InvalidJourneyException(
            "journey migration: 'steps." + f.getKey() + "' must be a step id (text)");
      }
      b.map(f.getKey(), f.getValue().asText());
    }
    return b.build();
  }

  private static int version(JsonNode v, String field) {
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new InvalidJourneyException(
          "journey migration: '" + field + "' must be a whole number, was " + v);
    }
    return v.asInt();
  }

  /** This migration as JSON, readable by {@link #fromJson}. */
  public String toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("journey", journey);
    n.put("fromVersion", fromVersion);
    n.put("toVersion", toVersion);
    ObjectNode s = n.putObject("steps");
    steps.forEach(s::put);
    return n.toString();
  }

  /** Builds a {@link JourneyMigration}. */
  public static final class Builder {
    private final String journey;
    private final int fromVersion;
    private final int toVersion;
    private final Map<String, String> steps = new LinkedHashMap<>();

    private Builder(String journey, int fromVersion, int toVersion) {
      this.journey = journey;
      this.fromVersion = fromVersion;
      this.toVersion = toVersion;
    }

    /**
     * Moves enrolments standing at {@code oldStep} to {@code newStep}.
     *
     * @throws InvalidJourneyException if {@code oldStep} is mapped already
     */
    public Builder map(String oldStep, String newStep) {
      InvalidJourneyException.requireNonNull(oldStep, "old step");
      InvalidJourneyException.requireNonNull(newStep, "new step of '" + oldStep + "'");
      String before = steps.putIfAbsent(oldStep, newStep);
      if (before != null) {
        throw new InvalidJourneyException(
            "step '" + oldStep + "' is mapped twice, to '" + before + "' and '" + newStep + "'");
      }
      return this;
    }

    /** Maps every step of {@code from} to the step of the same id. */
    public Builder sameIds(JourneyDefinition from) {
      for (Step s : from.steps()) {
        map(s.id(), s.id());
      }
      return this;
    }

    /**
     * The migration.
     *
     * @throws InvalidJourneyException if the journey id, the versions or a step id is invalid
     */
    public JourneyMigration build() {
      return new JourneyMigration(journey, fromVersion, toVersion, steps);
    }
  }
}
