package dev.steward.health;

import java.time.Instant;
import java.util.Objects;

/**
 * A raw value of a measure and when it was observed; for decaying measures, the counter's value as of
 * {@code observedAt}, which the calculator decays further to the scoring time.
 */
public record Observation(double value, Instant observedAt) {
  public Observation {
    Objects.requireNonNull(observedAt, "observedAt");
  }
}
