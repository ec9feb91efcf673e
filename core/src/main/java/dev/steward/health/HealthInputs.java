package dev.steward.health;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The raw observations for one account at one time, by measure id. Immutable. Inputs a scorecard does
 * not name are ignored, so one set of inputs can be scored by several scorecards (what-if).
 */
public final class HealthInputs {
  private static final HealthInputs EMPTY = new HealthInputs(Map.of());

  private final Map<String, Observation> observations;

  private HealthInputs(Map<String, Observation> observations) {
    this.observations = observations;
  }

  /** No observations at all. */
  public static HealthInputs empty() {
    return EMPTY;
  }

  /** Inputs holding a copy of the given observations. */
  public static HealthInputs of(Map<String, Observation> observations) {
    Builder b = builder();
    observations.forEach(b::put);
    return b.build();
  }

  /** A builder of inputs. */
  public static Builder builder() {
    return new Builder();
  }

  /** The observation of that measure, if any. */
  public Optional<Observation> find(String measureId) {
    return Optional.ofNullable(observations.get(measureId));
  }

  /** All observations by measure id. */
  public Map<String, Observation> asMap() {
    return Collections.unmodifiableMap(observations);
  }

  Observation get(String measureId) {
    return observations.get(measureId);
  }

  /** A copy of these inputs to change. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.map.putAll(observations);
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HealthInputs other && other.observations.equals(observations);
  }

  @Override
  public int hashCode() {
    return observations.hashCode();
  }

  @Override
  public String toString() {
    return "HealthInputs" + observations;
  }

  /** Collects observations; a later value for the same measure replaces the earlier one. */
  public static final class Builder {
    private final Map<String, Observation> map = new HashMap<>();

    private Builder() {}

    /** Sets a measure's observation. */
    public Builder put(String measureId, Observation observation) {
      if (measureId == null || observation == null) {
        throw new IllegalArgumentException("measureId and observation must not be null");
      }
      map.put(measureId, observation);
      return this;
    }

    /** Sets a measure's value as observed at that time. */
    public Builder put(String measureId, double value, Instant observedAt) {
      return put(measureId, new Observation(value, observedAt));
    }

    /** Sets a decaying measure from its counter. */
    public Builder put(String measureId, DecayedCounter counter) {
      return put(measureId, counter.observation());
    }

    public HealthInputs build() {
      return new HealthInputs(new HashMap<>(map));
    }
  }
}
