package dev.steward.journey;

import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The journey versions a scheduler registers, looked up by id, version and enrolment. */
final class Journeys {
  private final Map<String, NavigableMap<Integer, JourneyDefinition>> byId;

  Journeys(Map<String, NavigableMap<Integer, JourneyDefinition>> byId) {
    this.byId = byId;
  }

  /** The newest registered version of a journey. */
  Optional<JourneyDefinition> newest(String id) {
    NavigableMap<Integer, JourneyDefinition> versions = byId.get(id);
    return versions == null ? Optional.empty() : Optional.of(versions.lastEntry().getValue());
  }

  /** A registered version of a journey. */
  Optional<JourneyDefinition> version(String id, int version) {
    NavigableMap<Integer, JourneyDefinition> versions = byId.get(id);
    return versions == null ? Optional.empty() : Optional.ofNullable(versions.get(version));
  }

  /** The version an enrolment runs on, if registered here. */
  Optional<JourneyDefinition> of(Enrolment e) {
    return version(e.journey(), e.version());
  }

  /** The current step of an enrolment, if its version is registered here. */
  Optional<Step> stepOf(Enrolment e) {
    return of(e).flatMap(d -> d.step(e.step()));
  }

  /** The newest registered version number of a journey, if any. */
  Optional<Integer> newestVersion(String id) {
    NavigableMap<Integer, JourneyDefinition> versions = byId.get(id);
    return versions == null ? Optional.empty() : Optional.of(versions.lastKey());
  }

  /** The registered journey ids, in order. */
  Set<String> ids() {
    return new TreeSet<>(byId.keySet());
  }
}
