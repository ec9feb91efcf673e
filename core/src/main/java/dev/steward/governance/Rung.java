package dev.steward.governance;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * One rung of a {@link Ladder}: the level, the thresholds at or above which a metric puts a tenant
 * on it (a metric without one never does), and how long the automatic action lasts unless renewed.
 *
 * @param expiry how long the action lasts unless an evaluation confirms it again
 */
public record Rung(Level level, Map<GovernanceMetric, Double> thresholds, Duration expiry) {
  public Rung {
    InvalidGovernanceException.requireNonNull(level, "rung level");
    if (level == Level.NONE || level == Level.TERMINATE) {
      throw new InvalidLadderException(
          "rung "
              + level.jsonName()
              + " cannot be on the ladder: rungs are warn, restrict, quarantine and suspend"
              + " (termination is a human decision)");
    }
    InvalidGovernanceException.requireNonNull(thresholds, "thresholds of rung " + level.jsonName());
    Map<GovernanceMetric, Double> copy = new EnumMap<>(GovernanceMetric.class);
    for (Map.Entry<GovernanceMetric, Double> e : thresholds.entrySet()) {
      if (e.getKey() == null) {
        throw new InvalidLadderException("rung " + level.jsonName() + " has a null metric");
      }
      Double v = e.getValue();
      String name = e.getKey().jsonName();
      if (v == null || v.isNaN()) {
        throw new InvalidLadderException(
            "rung " + level.jsonName() + ": " + name + " threshold must be a number");
      }
      if (v <= 0) {
        throw new InvalidLadderException(
            "rung "
                + level.jsonName()
                + ": "
                + name
                + " threshold "
                + v
                + " must be above 0 (a rate of 0 would act on every tenant)");
      }
      if (v > 1) {
        throw new InvalidLadderException(
            "rung "
                + level.jsonName()
                + ": "
                + name
                + " threshold "
                + v
                + " is above 1; rates are fractions (0.003 is 0.3%)");
      }
      copy.put(e.getKey(), v);
    }
    thresholds = Collections.unmodifiableMap(copy);
    InvalidGovernanceException.requireNonNull(expiry, "expiry of rung " + level.jsonName());
    if (expiry.isNegative() || expiry.isZero()) {
      throw new InvalidLadderException(
          "rung " + level.jsonName() + ": expiry " + expiry + " must be positive");
    }
  }

  /** The threshold of {@code metric} on this rung, if it has one. */
  public Optional<Double> threshold(GovernanceMetric metric) {
    return Optional.ofNullable(thresholds.get(metric));
  }
}
