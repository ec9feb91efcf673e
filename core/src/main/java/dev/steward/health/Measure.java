package dev.steward.health;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * One measure of a scorecard: what input it reads (by {@code id}), its weight, how its raw value maps
 * to 0–100, how old its data may be, and for event counts the half-life of their decay.
 *
 * @param weight any non-negative number; within a group it is relative to the group's other measures
 * @param maxAge the freshness limit: older data is left out as stale; null for no limit
 * @param halfLife for event-count measures, the raw value decays by half over this span from the
 *     observation time to the scoring time; null for no decay
 * @param description what the measure means, for people; may be empty
 */
public record Measure(
    String id,
    double weight,
    Mapping mapping,
    Duration maxAge,
    Duration halfLife,
    String description)
    implements ScorecardItem {

  static final Pattern ID = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");

  public Measure {
    checkId("measure", id);
    checkWeight("measure '" + id + "'", weight);
    if (mapping == null) {
      throw new InvalidScorecardException("measure '" + id + "' has no mapping");
    }
    if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
      throw new InvalidScorecardException(
          "measure '" + id + "': maxAge must be positive, got " + maxAge);
    }
    if (halfLife != null && (halfLife.isNegative() || halfLife.isZero())) {
      throw new InvalidScorecardException(
          "measure '" + id + "': halfLife must be positive, got " + halfLife);
    }
    description = description == null ? "" : description;
  }

  /** A measure with no freshness limit, no decay and no description. */
  public static Measure of(String id, double weight, Mapping mapping) {
    return new Measure(id, weight, mapping, null, null, "");
  }

  /** This measure with another weight. */
  public Measure withWeight(double newWeight) {
    return new Measure(id, newWeight, mapping, maxAge, halfLife, description);
  }

  /** This measure with another mapping. */
  public Measure withMapping(Mapping newMapping) {
    return new Measure(id, weight, newMapping, maxAge, halfLife, description);
  }

  /** This measure with a freshness limit. */
  public Measure withMaxAge(Duration newMaxAge) {
    return new Measure(id, weight, mapping, newMaxAge, halfLife, description);
  }

  /** This measure with a decay half-life. */
  public Measure withHalfLife(Duration newHalfLife) {
    return new Measure(id, weight, mapping, maxAge, newHalfLife, description);
  }

  /** This measure with a description. */
  public Measure withDescription(String newDescription) {
    return new Measure(id, weight, mapping, maxAge, halfLife, newDescription);
  }

  static void checkId(String what, String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new InvalidScorecardException(
          what
              + " id '"
              + id
              + "' is not valid: use 1 to 64 characters a-z, 0-9, '_', '.', '-', starting with a letter");
    }
  }

  static void checkWeight(String what, double weight) {
    if (!Double.isFinite(weight)) {
      throw new InvalidScorecardException(what + ": weight must be finite, got " + weight);
    }
    if (weight < 0) {
      throw new InvalidScorecardException(what + ": weight must not be negative, got " + weight);
    }
  }
}
